"""Hotline request categories (诉求分类), read from the packaged ``categories.yaml``.

The list is the first level of the work-order category tree described in the shared
spec ``domain/categories.md``. Codes are the platform's own stable identifiers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

__all__ = ["Category", "category_codes", "load_categories"]


@dataclass(frozen=True)
class Category:
    """One first-level hotline category.

    ``covers`` lists typical requests (Chinese, separated by 、); ``boundary`` is the rule
    that decides between this and a neighbouring category, ``""`` when there is none.
    """

    code: str
    name: str
    covers: str
    boundary: str


@functools.cache
def load_categories() -> tuple[Category, ...]:
    """Return all categories in table order (cached; the file ships with the package)."""
    text = resources.files("fazhi.catalog").joinpath("categories.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, list):
        raise ValueError("categories.yaml: expected a list of categories")
    result: list[Category] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise ValueError(f"categories.yaml: entry {index} is not a mapping")
        try:
            category = Category(
                code=str(item["code"]),
                name=str(item["name"]),
                covers=str(item["covers"]),
                boundary=str(item.get("boundary") or ""),
            )
        except KeyError as exc:
            raise ValueError(f"categories.yaml: entry {index} lacks {exc.args[0]!r}") from None
        if category.code in seen:
            raise ValueError(f"categories.yaml: duplicate code {category.code}")
        seen.add(category.code)
        result.append(category)
    return tuple(result)


def category_codes() -> tuple[str, ...]:
    """The category codes in table order."""
    return tuple(c.code for c in load_categories())
