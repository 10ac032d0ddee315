"""`documents:`: the kinds of document in a case file, each a file, data, or both."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from fazhi.domain.case_type.file_common import FileModel, Name, Names, Problems, Scope, join
from fazhi.domain.case_type.file_fields import FieldModel, check_required_if, parse_fields
from fazhi.domain.case_type.spec import DocumentKind

# A template is a file beside the type file: a plain name, no folders.
_TEMPLATE = re.compile(r"^[\w.-]+\.docx$")


class DocumentModel(FileModel):
    label: str
    fields: dict[Name, FieldModel] = Field(default_factory=dict)
    # Who may add, replace or withdraw one (empty: the type's action roles), and in which
    # states (empty: any non-terminal one).
    roles: Names = Field(default_factory=list)
    states: Names = Field(default_factory=list)
    file: Literal["required", "optional", "none"] = "optional"
    multiple: bool = True
    template: str | None = None

    def to_spec(self, name: str, path: str, scope: Scope, problems: Problems) -> DocumentKind:
        where = join(path, "fields")
        fields = parse_fields(self.fields, where, scope, problems)
        check_required_if(self.fields, fields, where, {}, problems)
        for spec in fields:
            if spec.prefill:
                problems.add(
                    join(join(where, spec.name), "prefill"), "only a type's own fields have prefill"
                )
        for i, role in enumerate(self.roles):
            scope.check_role(role, join(join(path, "roles"), i), problems)
        for i, state in enumerate(self.states):
            scope.check_state(state, join(join(path, "states"), i), problems)
        if self.file == "none" and not self.fields:
            problems.add(path, "a document with file: none needs fields (its data)")
        if self.template is not None and not _TEMPLATE.match(self.template):
            problems.add(
                join(path, "template"), "a template is a .docx file name beside the type file"
            )
        return DocumentKind(
            name=name,
            label=self.label,
            fields=tuple(fields),
            roles=tuple(self.roles),
            states=tuple(self.states),
            file=self.file,
            template=self.template,
            multiple=self.multiple,
        )


def parse_documents(
    models: Mapping[str, DocumentModel | None], scope: Scope, problems: Problems
) -> dict[str, DocumentKind]:
    return {
        name: model.to_spec(name, join("documents", name), scope, problems)
        for name, model in models.items()
        if model is not None
    }
