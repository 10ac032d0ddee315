"""Organisation files (format ``fazhi-org/1``): parse and validate, no database.

An organisation file describes one district: its units (the district itself, departments,
streets, communities, grids, centres and companies) and demo logins. The format is
documented in ``docs/data-formats.md`` ("Organisation file"). :func:`parse_org` checks
everything it can and raises :class:`OrgFileError` listing *all* problems found, each a
Chinese message naming the unit code or username concerned.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import yaml

from fazhi.catalog.org_sections import REGION_RE, TOP_KEYS, parse_units, parse_users
from fazhi.catalog.org_spec import (
    FORMAT,
    UNIT_KINDS,
    OrgFileError,
    OrgSpec,
    UnitSpec,
    UserSpec,
)

__all__ = [
    "FORMAT",
    "UNIT_KINDS",
    "OrgFileError",
    "OrgSpec",
    "UnitSpec",
    "UserSpec",
    "load_demo_org",
    "load_org",
    "parse_org",
]


def load_org(path: Path) -> OrgSpec:
    """Read and validate an organisation file (YAML).

    Raises :class:`OrgFileError` for invalid YAML or content; ``OSError`` if unreadable.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OrgFileError([f"YAML 解析失败：{exc}"], source=str(path)) from exc
    try:
        return parse_org(data)
    except OrgFileError as exc:
        raise OrgFileError(exc.problems, source=str(path)) from None


def load_demo_org() -> OrgSpec:
    """The packaged 石峰区 demo organisation (``fazhi/demo/org.yaml``)."""
    resource = resources.files("fazhi.demo").joinpath("org.yaml")
    with resources.as_file(resource) as path:
        return load_org(path)


def parse_org(data: object) -> OrgSpec:
    """Validate already-loaded YAML data and build an :class:`OrgSpec`."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise OrgFileError(["文件内容必须是一个映射（含 format、region_code、units、users）"])

    for key in sorted(set(map(str, data)) - TOP_KEYS):
        problems.append(f"顶层：未知字段 {key!r}")

    fmt = data.get("format")
    if fmt != FORMAT:
        problems.append(f"顶层：format 必须为 {FORMAT!r}，实际为 {fmt!r}")

    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        problems.append(f"顶层：synthetic 必须是 true 或 false，实际为 {synthetic!r}")
        synthetic = False

    region_code = data.get("region_code")
    if not isinstance(region_code, str) or not REGION_RE.match(region_code):
        hint = "（请加引号写成字符串）" if isinstance(region_code, int) else ""
        problems.append(
            f"顶层：region_code 必须是6位数字的行政区划代码，实际为 {region_code!r}{hint}"
        )
        region_code = str(region_code)

    all_codes: set[str] = set()
    units = parse_units(data.get("units"), all_codes, problems)
    users = parse_users(data.get("users", []), all_codes, problems)

    if problems:
        raise OrgFileError(problems)
    return OrgSpec(
        region_code=region_code, units=tuple(units), users=tuple(users), synthetic=synthetic
    )
