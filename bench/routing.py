"""Dispatch-suggestion benchmark: latency, throughput, training time, held-out accuracy.

- suggestion latency (p50 / p99) for one request, in process: suggest + explain, as the API
  computes them;
- batch throughput: requests per second for 1,000 texts (`suggest_many`, as the CLI does);
- training time on N labelled orders (default 100,000), synthesised by sampling and
  perturbing the cold-start corpus (dropped / swapped characters, extra openers and
  closings, two requests joined) and the demo generator (fazhi.hotline.demo.request_texts);
- top-1 / top-3 on eval_holdout.tsv for the cold-start model and for the 100k model, and
  the cold-start model on 2,000 demo-generator texts.

Prints figures; never pass/fail.

    python bench/routing.py [--orders 100000] [--runs 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fazhi.hotline.demo.request_texts import synthetic_request  # noqa: E402
from fazhi.hotline.routing import suggest as s  # noqa: E402

OPENERS = ("你好，", "喂，", "我想反映个事，", "麻烦问一下，", "", "", "我要投诉，", "请问，")
CLOSINGS = ("", "", "谢谢。", "麻烦尽快处理。", "希望有人管一管。", "都好几天了。", "急！")


def perturb(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 2)):
        if len(chars) > 6:
            i = rng.randrange(len(chars))
            if rng.random() < 0.5:
                del chars[i]
            else:
                j = min(len(chars) - 1, i + 1)
                chars[i], chars[j] = chars[j], chars[i]
    return rng.choice(OPENERS) + "".join(chars) + rng.choice(CLOSINGS)


def synthesise(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = s.read_corpus(s.COLD_START)
    out_x: list[str] = []
    out_y: list[str] = []
    while len(out_x) < n:
        roll = rng.random()
        if roll < 0.5:
            i = rng.randrange(len(texts))
            out_x.append(perturb(rng, texts[i]))
            out_y.append(labels[i])
        elif roll < 0.55:
            i, j = rng.randrange(len(texts)), rng.randrange(len(texts))
            out_x.append(texts[i] + "。另外，" + texts[j])  # mixed: labelled by the first
            out_y.append(labels[i])
        else:
            category = labels[rng.randrange(len(labels))]
            out_x.append(synthetic_request(rng, category)[1])
            out_y.append(category)
    return out_x, out_y


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    eval_x, eval_y = s.read_corpus(s.EVAL_HOLDOUT)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        manifest = s.train_cold_start(folder)
        cold_seconds = time.perf_counter() - started
        model = s.current_suggester(folder)
        print(f"cold-start training: {manifest['n_train']} texts in {cold_seconds:.2f} s")
        print(
            f"cold-start held-out ({manifest['n_test']} texts): "
            f"top-1 {manifest['top1']:.1%}  top-3 {manifest['top3']:.1%}"
        )

        rng = random.Random(1)
        demo_y = [rng.choice(eval_y) for _ in range(2000)]
        demo_x = [synthetic_request(rng, c)[1] for c in demo_y]
        demo = s.evaluate(model.pipeline, demo_x, demo_y)
        print(
            f"cold-start on 2,000 demo-generator texts: "
            f"top-1 {demo.top1:.1%}  top-3 {demo.top3:.1%}"
        )

        texts = [perturb(rng, t) for t in eval_x]
        latencies = []
        for i in range(args.runs):
            text = texts[i % len(texts)]
            t0 = time.perf_counter()
            ranked = model.suggest(text, 3)
            for category, _ in ranked:
                model.explain(text, category, 5)
            latencies.append((time.perf_counter() - t0) * 1000)
        print(
            f"one request (suggest k=3 + explain ×3), {args.runs} runs: "
            f"p50 {statistics.median(latencies):.2f} ms  p99 {pct(latencies, 0.99):.2f} ms"
        )
        latencies = []
        for i in range(args.runs):
            t0 = time.perf_counter()
            model.suggest(texts[i % len(texts)], 3)
            latencies.append((time.perf_counter() - t0) * 1000)
        print(
            f"one request (suggest only): p50 {statistics.median(latencies):.2f} ms  "
            f"p99 {pct(latencies, 0.99):.2f} ms"
        )

        batch = (texts * (1000 // len(texts) + 1))[:1000]
        t0 = time.perf_counter()
        model.suggest_many(batch, 3)
        seconds = time.perf_counter() - t0
        print(f"batch of 1,000: {seconds:.2f} s = {1000 / seconds:,.0f} requests/s")

        t0 = time.perf_counter()
        big_x, big_y = synthesise(args.orders)
        print(f"synthesised {len(big_x):,} labelled orders in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        big = s.train(big_x, big_y)
        train_seconds = time.perf_counter() - t0
        scores = s.evaluate(big, eval_x, eval_y)
        print(
            f"training on {len(big_x):,} orders: {train_seconds:.1f} s; held-out top-1 "
            f"{scores.top1:.1%}  top-3 {scores.top3:.1%}"
        )


if __name__ == "__main__":
    main()
