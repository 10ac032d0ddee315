"""Chinese text for the knowledge base: jieba search-mode tokens (words and the shorter
words inside them, so 劳动合同 also finds 合同) and BM25 scoring over question, answer and
tags, weighted by field. Pure functions: the index and the counts come from the store.

jieba loads its dictionary (about a second) on first use; `warm_up` does it, and callers
run in the thread pool (plain `def` routes), never on the event loop."""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

import jieba

jieba.setLogLevel(logging.WARNING)

# Field weights of BM25F: a question that matches says more than an answer that mentions.
WEIGHTS = {"question": 2.0, "tags": 2.0, "answer": 1.0}
K1 = 1.2
B = 0.75
MAX_TERM = 40
_PUNCT = re.compile(r"[\s，。！？、；：,.!?;:“”\"'（）()《》〈〉【】\[\]…—\-~～/]+")
# Words that occur in almost every consultation and rank nothing.
STOP = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "是",
        "在",
        "有",
        "和",
        "与",
        "及",
        "或",
        "我",
        "你",
        "他",
        "她",
        "我们",
        "您",
        "怎么",
        "怎么办",
        "什么",
        "如何",
        "可以",
        "能",
        "能否",
        "是否",
        "要",
        "会",
        "这",
        "那",
        "个",
        "就",
        "都",
        "也",
        "还",
        "把",
        "被",
        "对",
        "给",
        "向",
        "从",
        "请问",
        "请",
        "一下",
        "问",
        "想",
        "一个",
        "哪些",
        "哪里",
        "多少",
    ]
)
_ready = threading.Event()
_lock = threading.Lock()


def warm_up() -> None:
    """Load jieba's dictionary (once); call from a worker thread."""
    if _ready.is_set():
        return
    with _lock:
        if not _ready.is_set():
            jieba.initialize()
            _ready.set()


def tokens(text: str) -> list[str]:
    """Search-mode jieba tokens, NFKC and lower-cased, punctuation and stop words dropped;
    single Chinese characters are dropped too (too common to rank), ASCII words kept."""
    warm_up()
    out: list[str] = []
    normal = unicodedata.normalize("NFKC", text or "").lower()
    for chunk in _PUNCT.split(normal):
        if not chunk:
            continue
        for token in jieba.lcut_for_search(chunk):
            token = token.strip()
            if not token or token in STOP or len(token) > MAX_TERM:
                continue
            if len(token) == 1 and not token.isascii():
                continue
            out.append(token)
    return out


def weighted_terms(question: str, answer: str, tags: str) -> dict[str, float]:
    """Each term's weighted frequency in an article (what the token index stores)."""
    counts: dict[str, float] = defaultdict(float)
    for field, text in (("question", question), ("answer", answer), ("tags", tags)):
        for token in tokens(text):
            counts[token] += WEIGHTS[field]
    return dict(counts)


def bm25(
    query_terms: Iterable[str],
    article_terms: Mapping[str, float],
    length: float,
    average_length: float,
    documents: int,
    frequency: Mapping[str, int],
) -> float:
    """Okapi BM25 of one article for the query: `documents` articles in the index, of
    which `frequency[t]` hold term t; `length` the article's weighted length."""
    score = 0.0
    norm = 1 - B + B * (length / average_length if average_length else 1.0)
    for term in set(query_terms):
        tf = article_terms.get(term, 0.0)
        df = frequency.get(term, 0)
        if tf <= 0 or df <= 0:
            continue
        idf = math.log(1 + (documents - df + 0.5) / (df + 0.5))
        score += idf * tf * (K1 + 1) / (tf + K1 * norm)
    return score
