"""Parse 《国务院办公厅关于20XX年部分节假日安排的通知》 into calendar overrides.

The notice is pasted in as published, so the parser tolerates full/half-width punctuation,
stray whitespace, weekday and lunar notes in parentheses, and both the pre-2025 and the
2025+ wording. Anything it cannot account for is refused rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from fazhi.domain.calendar import DayOverride


class NoticeParseError(Exception):
    code = "notice_unreadable"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[type[NoticeParseError], tuple[str]]:
        return (NoticeParseError, (self.message,))


@dataclass(frozen=True)
class HolidayPeriod:
    name: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class NoticeArrangement:
    year: int
    holidays: tuple[HolidayPeriod, ...]
    workdays: tuple[tuple[date, str], ...]  # make-up working day, holiday it belongs to

    def overrides(self) -> list[DayOverride]:
        rows = [DayOverride(d, "holiday", p.name) for p in self.holidays for d in p.dates()]
        rows += [DayOverride(d, "workday", name) for d, name in self.workdays]
        return rows

    def summary_lines(self) -> list[str]:
        lines = []
        for p in self.holidays:
            span = (
                p.first.isoformat()
                if p.days == 1
                else f"{p.first.isoformat()} 至 {p.last.isoformat()}"
            )
            line = f"{p.name}：{span} 放假（{p.days}天）"
            makeup = [d.isoformat() for d, name in self.workdays if name == p.name]
            if makeup:
                line += "；调休上班 " + "、".join(makeup)
            lines.append(line)
        return lines


_TITLE_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日安排的通知")
_PREAMBLE_YEAR = re.compile(r"现将(\d{4})年")
# Item header "三、清明节:"; parenthesised notes are stripped before this runs, so the
# "腊月二十八、" inside a lunar note cannot pose as a header.
_HEADER = re.compile(r"([一二三四五六七八九十]+)、([^:,;。、]{1,10}(?:、[^:,;。、]{1,10})*):")
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
_DATE_RE = re.compile(_DATE)
_RANGE = re.compile(_DATE + r"(?:(?:至|到|-|~|—|–)" + _DATE + r")?放假")
_TOTAL = re.compile(r"(?:共|放假)(\d{1,2})天")
_SENTENCE_END = re.compile(r"[。;]")
_PARENS = re.compile(r"\([^()]*\)")


def _normalise(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    # NFKC folds full-width digits and punctuation (：（）；，) to half-width.
    flat = unicodedata.normalize("NFKC", "".join(lines))
    flat = re.sub(r"\s+", "", flat)
    while True:
        stripped = _PARENS.sub("", flat)
        if stripped == flat:
            return flat
        flat = stripped


def _make_date(year: int, month: int, day: int, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NoticeParseError(f"「{what}」中的日期 {year}年{month}月{day}日 不存在") from None


def _parse_range(m: re.Match[str], year: int, name: str) -> HolidayPeriod:
    y1, mo1, d1, y2, mo2, d2 = m.groups()
    if mo1 is None:
        raise NoticeParseError(f"「{name}」的放假起始日期缺少月份")
    first_month = int(mo1)
    first_year = int(y1) if y1 else year
    if d2 is None:
        first = _make_date(first_year, first_month, int(d1), name)
        return HolidayPeriod(name, first, first)
    last_month = int(mo2) if mo2 else first_month
    if not y1 and not y2 and last_month < first_month:
        # A Dec→Jan range in the notice for year Y can only be the New Year break of Y.
        first_year = year - 1
    first = _make_date(first_year, first_month, int(d1), name)
    last_year = int(y2) if y2 else first.year + (1 if last_month < first_month else 0)
    last = _make_date(last_year, last_month, int(d2), name)
    if last < first:
        raise NoticeParseError(f"「{name}」的放假结束日期早于开始日期")
    return HolidayPeriod(name, first, last)


def _parse_makeup(rest: str, year: int, name: str) -> list[date]:
    found: list[date] = []
    for sentence in _SENTENCE_END.split(rest):
        cut = sentence.rfind("上班")
        if cut < 0:
            continue
        # Month and year carry over within a list such as "1月28日、29日上班".
        cur_year, cur_month = year, None
        for m in _DATE_RE.finditer(sentence[:cut]):
            y, mo, d = m.groups()
            if y:
                cur_year = int(y)
            if mo:
                cur_month = int(mo)
            if cur_month is None:
                raise NoticeParseError(f"「{name}」的调休上班日期缺少月份")
            found.append(_make_date(cur_year, cur_month, int(d), name))
    return found


def _parse_year(flat: str) -> int:
    m = _TITLE_YEAR.search(flat) or _PREAMBLE_YEAR.search(flat)
    if m is None:
        raise NoticeParseError(
            "没有找到通知年份：标题应为《国务院办公厅关于20XX年部分节假日安排的通知》"
        )
    return int(m.group(1))


def parse_notice(text: str) -> NoticeArrangement:
    flat = _normalise(text)
    year = _parse_year(flat)
    headers = list(_HEADER.finditer(flat))
    holidays: list[HolidayPeriod] = []
    workdays: list[tuple[date, str]] = []
    for i, header in enumerate(headers):
        name = header.group(2)
        end = headers[i + 1].start() if i + 1 < len(headers) else len(flat)
        body = flat[header.end() : end]
        m = _RANGE.search(body)
        if m is None:
            raise NoticeParseError(f"没有看懂「{name}」的放假日期：{body[:40]}")
        period = _parse_range(m, year, name)
        rest = body[m.end() :]
        # The stated total sits in the range's own sentence: "放假调休，共7天" / "放假1天".
        total = _TOTAL.search(_SENTENCE_END.split(body[m.start() :], maxsplit=1)[0])
        if total is not None and int(total.group(1)) != period.days:
            raise NoticeParseError(
                f"「{name}」写明共{total.group(1)}天，但 {period.first.isoformat()} 至 "
                f"{period.last.isoformat()} 是{period.days}天"
            )
        holidays.append(period)
        workdays.extend((d, name) for d in _parse_makeup(rest, year, name))
    if not holidays:
        raise NoticeParseError("没有找到任何放假条目（应形如“一、元旦：1月1日放假”）")
    _check_consistency(holidays, workdays)
    return NoticeArrangement(year, tuple(holidays), tuple(workdays))


def _check_consistency(holidays: list[HolidayPeriod], workdays: list[tuple[date, str]]) -> None:
    owner: dict[date, str] = {}
    for p in holidays:
        for d in p.dates():
            if d in owner:
                raise NoticeParseError(
                    f"{d.isoformat()} 同时属于「{owner[d]}」和「{p.name}」的放假日期"
                )
            owner[d] = p.name
    for d, name in workdays:
        if d in owner:
            raise NoticeParseError(
                f"「{name}」的调休上班日 {d.isoformat()} 落在「{owner[d]}」放假期间内"
            )
