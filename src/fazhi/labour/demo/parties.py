"""Synthetic parties of the labour demo: employers with valid unified social credit codes
(GB 32100, both check characters computed), workers with valid ID numbers, construction
projects. SYNTHETIC: every name and number is made up and says so."""

from __future__ import annotations

from stdnum.cn import ric, uscc

from fazhi.domain.identity import CREDIT_ALPHABET, organisation_check

REGION = "430204"
EMPLOYER_KINDS = (
    "建筑劳务有限公司",
    "建设工程有限公司",
    "餐饮管理有限公司",
    "物流有限公司",
    "电子科技有限公司",
    "物业服务有限公司",
)
PLACES = ("田心", "响石岭", "清水塘", "龙头铺", "井龙", "铜塘湾", "霞湾", "云田")
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
PROJECTS = ("安置小区", "学校改扩建", "道路提质改造", "产业园标准厂房", "老旧小区改造", "污水管网")


def credit_code(n: int) -> str:
    """A valid code of a company (91) registered in 石峰区, the n-th of the demo."""
    value, digits = 31**7 + n * 7919, []
    for _ in range(8):
        value, digit = divmod(value, 31)
        digits.append(CREDIT_ALPHABET[digit])
    body = "".join(reversed(digits))
    head = f"91{REGION}{body}{organisation_check(body)}"
    return head + uscc.calc_check_digit(head)


def employer(n: int) -> tuple[str, str]:
    """(name, credit code) of the demo's n-th employer."""
    place = PLACES[n % len(PLACES)]
    kind = EMPLOYER_KINDS[n % len(EMPLOYER_KINDS)]
    return f"株洲{place}{kind}（合成{n:03d}）", credit_code(n)


def project(n: int) -> str:
    return f"石峰区{PLACES[n % len(PLACES)]}{PROJECTS[n % len(PROJECTS)]}项目（合成）"


def worker_name(n: int) -> str:
    return f"{SURNAMES[n % len(SURNAMES)]}某{n % 97}（合成）"


def id_number(n: int) -> str:
    """A valid citizen ID number registered in 石峰区 (born 1970–1999)."""
    head = f"{REGION}{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return head + ric.calc_check_digit(head + "0")  # the digit's place is ignored


def phone(n: int) -> str:
    return f"170{n % 100000000:08d}"
