"""The legal-aid case number as the province's practice writes it, e.g. (2023)湘援0204刑136号:
the year of the decision, the province's one-character abbreviation, 援, the district's code
within its province (the last four digits of its GB/T 2260 region code), the kind of matter,
and the sequence of that kind in that year. Pure: no I/O."""

from __future__ import annotations

import re

# GB/T 2260 province codes (the first two digits) → the abbreviation used in case numbers.
PROVINCES: dict[str, str] = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "贵", "53": "云", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}  # fmt: skip
# The matter_kind codes of legal_aid.yaml → the character(s) of the number.
KIND_MARKS: dict[str, str] = {
    "criminal": "刑",
    "civil": "民",
    "administrative": "行",
    "non_litigation": "非诉",
}
_NUMBER = re.compile(r"^[（(](\d{4})[）)](\S)援(\d{4})(刑|民|行|非诉)(\d+)号$")


def province_of(region_code: str) -> str:
    """The abbreviation of the region's province; ValueError for a code it does not know."""
    found = PROVINCES.get(region_code[:2]) if len(region_code) == 6 else None
    if found is None:
        raise ValueError(f"无法从行政区划代码 {region_code!r} 确定省份简称")
    return found


def format_aid_number(region_code: str, year: int, kind: str, sequence: int) -> str:
    """(2023)湘援0204刑136号 for region 430204, 2023, criminal, 136."""
    if kind not in KIND_MARKS:
        raise ValueError(f"unknown matter kind {kind!r}")
    return f"({year}){province_of(region_code)}援{region_code[2:]}{KIND_MARKS[kind]}{sequence}号"


def parse_aid_number(text: str) -> tuple[int, str, str, str, int] | None:
    """(year, province, district code, kind code, sequence), or None for another text.
    Full-width brackets are read as half-width ones, as people type either."""
    found = _NUMBER.match(text.strip())
    if not found:
        return None
    year, province, district, mark, sequence = found.groups()
    kind = next(k for k, m in KIND_MARKS.items() if m == mark)
    return int(year), province, district, kind, int(sequence)
