"""法律援助 (legal aid): the type package of catalog/case_types/legal_aid.yaml."""
