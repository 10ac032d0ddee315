"""Joint inspections (1+N 综合查一次) and random checks (双随机、一公开): the registers of
targets and supervision items, the departments' planned items merged into joint visits, the
visits' results per item, and reproducible random draws published on a public page."""
