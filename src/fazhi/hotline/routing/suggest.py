"""Learned dispatch suggestion: request text → ranked categories (and hence lead units).

Features are jieba word unigrams + bigrams and character 1–3-grams, both TF-IDF (sublinear),
joined and fed to a multinomial logistic regression, whose probabilities are the scores and
whose coefficients × the text's features explain a suggestion by its strongest words.

Models are versioned files in the models folder (FAZHI_MODELS_DIR, default var/models):
`suggest-v{N}.joblib` (the fitted pipeline) and `suggest-v{N}.json` (manifest: version,
trained_at, source, n_train, held-out top1/top3, params). The newest version is the active
one. With no version at all, the cold-start model is trained on the packaged SYNTHETIC
corpus (corpus/cold_start.tsv) on first use, evaluated on corpus/eval_holdout.tsv (never
trained on) and saved as the first version.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from fazhi.catalog.categories import category_codes
from fazhi.hotline.routing.words import PUNCT, normalise_text, words

# scikit-learn (with SciPy) and joblib take seconds to import: every `fazhi` command and
# server start would pay for them, so they are imported where a model is built or loaded.
if TYPE_CHECKING:
    from sklearn.pipeline import FeatureUnion, Pipeline


CORPUS_DIR = Path(__file__).parent / "corpus"
COLD_START = CORPUS_DIR / "cold_start.tsv"
EVAL_HOLDOUT = CORPUS_DIR / "eval_holdout.tsv"
DEFAULT_MODELS_DIR = "var/models"
MODEL_RE = re.compile(r"^suggest-v(\d+)\.json$")
PARAMS: dict[str, Any] = {
    "words": {"ngram_range": [1, 2], "sublinear_tf": True, "min_df": 1},
    "chars": {"ngram_range": [1, 3], "sublinear_tf": True, "min_df": 1},
    "model": {
        "kind": "LogisticRegression",
        "solver": "saga",
        "C": 20.0,
        "max_iter": 200,
        "tol": 1e-3,
    },
}


def _word_analyzer(text: str) -> list[str]:
    tokens = words(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _char_preprocess(text: str) -> str:
    return PUNCT.sub(" ", normalise_text(text))


def build_pipeline(params: dict[str, Any] | None = None) -> Pipeline:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    p = params or PARAMS
    features = FeatureUnion(
        [
            (
                "w",
                TfidfVectorizer(
                    analyzer=_word_analyzer,
                    sublinear_tf=p["words"]["sublinear_tf"],
                    min_df=p["words"]["min_df"],
                ),
            ),
            (
                "c",
                TfidfVectorizer(
                    analyzer="char",
                    preprocessor=_char_preprocess,
                    ngram_range=tuple(p["chars"]["ngram_range"]),
                    sublinear_tf=p["chars"]["sublinear_tf"],
                    min_df=p["chars"]["min_df"],
                ),
            ),
        ]
    )
    m = p["model"]
    model = LogisticRegression(C=m["C"], solver=m["solver"], max_iter=m["max_iter"], tol=m["tol"])
    return Pipeline([("features", features), ("model", model)])


def train(
    texts: Sequence[str], labels: Sequence[str], params: dict[str, Any] | None = None
) -> Pipeline:
    """A fitted pipeline for these texts and their category codes."""
    if len(set(labels)) < 2:
        raise ValueError("训练数据至少需要两个分类")
    from sklearn.exceptions import ConvergenceWarning

    pipeline = build_pipeline(params)
    with warnings.catch_warnings():
        # saga stops at max_iter on big sets; the held-out score is the measure that counts.
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipeline.fit(list(texts), list(labels))
    return pipeline


def read_corpus(path: Path) -> tuple[list[str], list[str]]:
    """category<TAB>text lines; '#' lines and blanks skipped; unknown codes refused."""
    known = set(category_codes())
    texts: list[str] = []
    labels: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        code, _, text = line.partition("\t")
        if code not in known or not text.strip():
            raise ValueError(f"{path.name}:{number}: 分类或文本无效：{line!r}")
        labels.append(code)
        texts.append(text.strip())
    return texts, labels


@dataclass(frozen=True)
class Scores:
    top1: float
    top3: float
    n: int


def evaluate(pipeline: Pipeline, texts: Sequence[str], labels: Sequence[str]) -> Scores:
    if not texts:
        return Scores(0.0, 0.0, 0)
    proba = pipeline.predict_proba(list(texts))
    classes = pipeline.classes_
    order = np.argsort(-proba, axis=1)
    top1 = top3 = 0
    for row, label in zip(order, labels, strict=True):
        ranked = [classes[i] for i in row[:3]]
        top1 += ranked[0] == label
        top3 += label in ranked
    n = len(texts)
    return Scores(round(top1 / n, 4), round(top3 / n, 4), n)


def stratified_split(
    texts: Sequence[str], labels: Sequence[str], test_share: float = 0.2, seed: int = 12345
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Per category, `test_share` of its examples (at least one when it has two or more)."""
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    train_x: list[str] = []
    train_y: list[str] = []
    test_x: list[str] = []
    test_y: list[str] = []
    for label in sorted(by_label):
        items = by_label[label][:]
        rng.shuffle(items)
        n_test = round(len(items) * test_share) if len(items) >= 2 else 0
        n_test = max(n_test, 1) if len(items) >= 2 else 0
        test_x += items[:n_test]
        test_y += [label] * n_test
        train_x += items[n_test:]
        train_y += [label] * (len(items) - n_test)
    return train_x, train_y, test_x, test_y


# ---------------------------------------------------------------------------------------------
# The suggester


class Suggester:
    def __init__(self, pipeline: Pipeline, manifest: dict[str, Any] | None = None) -> None:
        self.pipeline = pipeline
        self.manifest = manifest or {}
        self.classes: list[str] = [str(c) for c in pipeline.classes_]
        union: FeatureUnion = pipeline.named_steps["features"]
        self._names = np.asarray(union.get_feature_names_out())
        self._coef = pipeline.named_steps["model"].coef_

    def _ranked(self, proba: np.ndarray, k: int) -> list[tuple[str, float]]:
        order = np.argsort(-proba)[: max(1, k)]
        return [(self.classes[i], round(float(proba[i]), 4)) for i in order]

    def suggest(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The k most likely categories with their probabilities, best first."""
        return self._ranked(self.pipeline.predict_proba([text])[0], k)

    def suggest_many(self, texts: Sequence[str], k: int = 3) -> list[list[tuple[str, float]]]:
        if not texts:
            return []
        proba = self.pipeline.predict_proba(list(texts))
        return [self._ranked(row, k) for row in proba]

    def explain(self, text: str, category: str, n: int = 5) -> list[str]:
        """The words of `text` that speak most for `category`, strongest first.

        Each feature's contribution is its coefficient for the category × its TF-IDF weight
        in the text. The candidates are the text's own jieba words; a word is credited with
        its word feature, the word bigrams it starts, and the character n-grams inside it."""
        if category not in self.classes:
            return []
        row = self.pipeline.named_steps["features"].transform([text]).tocsr()
        coef = self._coef[self.classes.index(category)]
        word_c: dict[str, float] = {}
        char_c: dict[str, float] = {}
        for j, v in zip(row.indices, row.data, strict=True):
            kind, _, name = str(self._names[j]).partition("__")
            (word_c if kind == "w" else char_c)[name] = float(v * coef[j])
        scores: dict[str, float] = {}
        for name, value in word_c.items():
            for token in name.split(" "):
                scores[token] = scores.get(token, 0.0) + value / (2 if " " in name else 1)
        for token in list(scores):
            scores[token] += sum(v for g, v in char_c.items() if len(g) >= 2 and g in token)
        ranked = sorted(
            (item for item in scores.items() if item[1] > 0 and len(item[0]) >= 2),
            key=lambda item: -item[1],
        )
        return [token for token, _ in ranked[:n]]


# ---------------------------------------------------------------------------------------------
# Versioned storage


def models_dir() -> Path:
    return Path(os.environ.get("FAZHI_MODELS_DIR") or DEFAULT_MODELS_DIR)


def list_versions(folder: Path | None = None) -> list[dict[str, Any]]:
    """Manifests of every stored version, oldest first."""
    folder = folder or models_dir()
    if not folder.is_dir():
        return []
    found: list[dict[str, Any]] = []
    for path in folder.iterdir():
        match = MODEL_RE.match(path.name)
        if match and (folder / f"suggest-v{match.group(1)}.joblib").exists():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            manifest["version"] = int(match.group(1))
            found.append(manifest)
    return sorted(found, key=lambda m: m["version"])


def save_version(
    pipeline: Pipeline,
    *,
    source: str,
    n_train: int,
    scores: Scores,
    folder: Path | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Store the pipeline as the next version and return its manifest."""
    folder = folder or models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    versions = list_versions(folder)
    version = (versions[-1]["version"] if versions else 0) + 1
    manifest: dict[str, Any] = {
        "version": version,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        "n_train": n_train,
        "n_test": scores.n,
        "top1": scores.top1,
        "top3": scores.top3,
        "params": PARAMS,
    } | (extra or {})
    model_path = folder / f"suggest-v{version}.joblib"
    tmp = model_path.with_suffix(".joblib.tmp")
    import joblib

    joblib.dump(pipeline, tmp)
    tmp.replace(model_path)
    # The manifest last: a version exists only once both files are there.
    (folder / f"suggest-v{version}.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def train_cold_start(folder: Path | None = None) -> dict[str, Any]:
    """Train on the synthetic corpus, score on the held-out file, save a new version."""
    texts, labels = read_corpus(COLD_START)
    pipeline = train(texts, labels)
    eval_texts, eval_labels = read_corpus(EVAL_HOLDOUT)
    scores = evaluate(pipeline, eval_texts, eval_labels)
    return save_version(
        pipeline,
        source="cold_start",
        n_train=len(texts),
        scores=scores,
        folder=folder,
        extra={"held_out": "eval_holdout.tsv"},
    )


_lock = threading.Lock()
_loaded: dict[str, tuple[int, Suggester]] = {}


def current_suggester(folder: Path | None = None) -> Suggester:
    """The newest stored version (cached until a newer one appears); trains and stores the
    cold-start model when the folder holds none."""
    folder = folder or models_dir()
    key = str(folder.resolve())
    versions = list_versions(folder)
    newest = versions[-1]["version"] if versions else 0
    cached = _loaded.get(key)
    if cached is not None and cached[0] == newest and newest:
        return cached[1]
    with _lock:
        versions = list_versions(folder)
        if not versions:
            train_cold_start(folder)
            versions = list_versions(folder)
        manifest = versions[-1]
        cached = _loaded.get(key)
        if cached is not None and cached[0] == manifest["version"]:
            return cached[1]
        import joblib

        pipeline = joblib.load(folder / f"suggest-v{manifest['version']}.joblib")
        suggester = Suggester(pipeline, manifest)
        _loaded[key] = (manifest["version"], suggester)
        return suggester


def model_info(suggester: Suggester) -> dict[str, Any]:
    m = suggester.manifest
    return {
        "version": m.get("version"),
        "source": m.get("source"),
        "top1": m.get("top1"),
        "top3": m.get("top3"),
    }


def train_from_orders(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    with_cold_start: bool = True,
    folder: Path | None = None,
) -> dict[str, Any]:
    """Retrain from the deployment's closed orders: stratified 80/20 split of the orders,
    the cold-start corpus added to the training side, scored on the orders' 20%."""
    train_x, train_y, test_x, test_y = stratified_split(texts, labels)
    if with_cold_start:
        cold_x, cold_y = read_corpus(COLD_START)
        train_x, train_y = train_x + cold_x, train_y + cold_y
    pipeline = train(train_x, train_y)
    scores = evaluate(pipeline, test_x, test_y)
    return save_version(
        pipeline,
        source="deployment",
        n_train=len(train_x),
        scores=scores,
        folder=folder,
        extra={"n_orders": len(texts), "with_cold_start": with_cold_start},
    )


def category_counts(labels: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return counts
