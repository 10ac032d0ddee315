"""The request text as the dispatch suggester reads it: NFKC, lower case, and jieba words
with the hotline's own domain words taught to jieba on first use (importing this module
must not load jieba's dictionary, about a second)."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

import jieba

jieba.setLogLevel(logging.WARNING)

# Words jieba's general dictionary splits but the hotline means as one thing.
_DOMAIN_WORDS = (
    "油烟",
    "占道经营",
    "流动摊贩",
    "违章搭建",
    "违建",
    "加建",
    "承重墙",
    "垃圾桶",
    "公厕",
    "井盖",
    "窨井",
    "路灯",
    "下水道",
    "积水",
    "物业费",
    "维修资金",
    "维修基金",
    "业委会",
    "电梯",
    "废气",
    "排污",
    "偷排",
    "扬尘",
    "打桩",
    "噪音",
    "广场舞",
    "诈骗",
    "刷单",
    "违停",
    "红绿灯",
    "信号灯",
    "拒载",
    "欠薪",
    "工钱",
    "加班费",
    "劳动合同",
    "养老金",
    "医保",
    "社保卡",
    "失业金",
    "预付卡",
    "储值卡",
    "退费",
    "过期",
    "保健品",
    "地沟油",
    "学位",
    "校车",
    "课后服务",
    "专家号",
    "疫苗",
    "低保",
    "特困",
    "殡葬",
    "公租房",
    "棚改",
    "安置房",
    "征收",
    "拆迁",
    "不动产",
    "不动产权证",
    "房产证",
    "确权",
    "林地",
    "滑坡",
    "停水",
    "停电",
    "水压",
    "燃气",
    "供暖",
    "暖气",
    "湘易办",
    "跨省通办",
    "营业执照",
    "押金",
    "赡养",
    "法律援助",
    "公证",
    "律师",
    "种粮补贴",
    "承包地",
    "土地流转",
    "消防通道",
    "电动车",
    "液化气",
    "自建房",
    "宽带",
    "信号",
    "基站",
    "骚扰电话",
)
_words_added = threading.Lock()
_words_ready = False


def _add_domain_words() -> None:
    """Teach jieba the domain words on first use: adding one loads jieba's dictionary
    (about a second), which importing this module must not cost."""
    global _words_ready
    if _words_ready:
        return
    with _words_added:
        if not _words_ready:
            for word in _DOMAIN_WORDS:
                jieba.add_word(word)
            _words_ready = True


PUNCT = re.compile(r"[\s，。！？、；：,.!?;:“”\"'（）()【】\[\]…—\-~～]+")


def normalise_text(text: str) -> str:
    """NFKC (full-width → ASCII), lower case, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def words(text: str) -> list[str]:
    """jieba tokens of the text, punctuation and spaces dropped (a TF-IDF analyzer input)."""
    _add_domain_words()
    out: list[str] = []
    for chunk in PUNCT.split(normalise_text(text)):
        if chunk:
            out.extend(t for t in jieba.lcut(chunk) if t.strip())
    return out
