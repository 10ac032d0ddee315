"""Synthetic parties of the consumer demo: businesses with valid unified social credit codes
(GB 32100, both check characters computed), complainants with phone numbers. SYNTHETIC: every
name and number is made up and says so."""

from __future__ import annotations

from stdnum.cn import uscc

from fazhi.domain.identity import CREDIT_ALPHABET, organisation_check

REGION = "430204"
PLACES = ("田心", "响石岭", "清水塘", "龙头铺", "井龙", "铜塘湾", "霞湾", "云田")
KINDS = {
    "online_training": ("网络科技有限公司", "在线教育科技有限公司", "文化传播有限公司"),
    "education_training": ("培训学校有限公司", "教育咨询有限公司"),
    "prepaid_card": ("健身服务有限公司", "美容美发店", "洗衣连锁店"),
    "goods_quality": ("家电销售有限公司", "家具城", "电动车商行"),
    "online_shopping": ("电子商务有限公司", "网店"),
    "services": ("家政服务有限公司", "装饰工程有限公司", "汽车维修服务部"),
    "price": ("超市", "药房", "餐饮店"),
    "other": ("商贸有限公司",),
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"


def credit_code(n: int) -> str:
    """A valid code of a company (91) registered in 石峰区, the n-th of the demo (a range of
    its own, far from the other demos' codes)."""
    value, digits = 29 * 31**7 + n * 7919, []
    for _ in range(8):
        value, digit = divmod(value, 31)
        digits.append(CREDIT_ALPHABET[digit])
    body = "".join(reversed(digits))
    head = f"91{REGION}{body}{organisation_check(body)}"
    return head + uscc.calc_check_digit(head)


def business(n: int, topic: str) -> tuple[str, str]:
    """(name, credit code) of the demo's n-th business of a topic."""
    kinds = KINDS[topic]
    place = PLACES[n % len(PLACES)]
    return f"株洲{place}{kinds[n % len(kinds)]}（合成{n:04d}）", credit_code(n)


def complainant(n: int) -> str:
    return f"{SURNAMES[n % len(SURNAMES)]}某{n % 89}（合成）"


def phone(n: int) -> str:
    return f"171{n % 100000000:08d}"
