"""The one error shape the whole platform speaks: a stable code and a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field


@dataclass
class Problem:
    """One thing wrong with a request, optionally tied to an input field."""

    code: str
    message: str
    field: str | None = None


@dataclass
class DomainError(Exception):
    """A refusal by a domain rule. `status` is the HTTP status the API maps it to."""

    code: str
    message: str
    status: int = 422
    field: str | None = None
    problems: list[Problem] = dataclass_field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @classmethod
    def from_problems(cls, problems: list[Problem], status: int = 422) -> DomainError:
        first = problems[0]
        if len(problems) == 1:
            return cls(first.code, first.message, status, first.field, problems)
        return cls(
            "invalid_input", "；".join(p.message for p in problems), status, first.field, problems
        )


def not_found(what: str = "案件") -> DomainError:
    return DomainError("not_found", f"{what}不存在或无权查看", 404)


def forbidden(message: str) -> DomainError:
    return DomainError("forbidden", message, 403)
