"""The random draw of 双随机、一公开, pure and reproducible: from the pool of targets and the
pool of inspectors (the department's officers with a valid certificate), both as sorted
ids, `random.Random(seed)` samples the targets and then, target by target, the inspectors.

Anyone holding a draw's record (seed, count, the two pools; the public page shows them)
redoes it with `draw(seed, targets, count, inspectors)` and gets the same picks: the pools
are sorted first and nothing else feeds the generator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

INSPECTORS_PER_TARGET = 2


@dataclass(frozen=True)
class Pick:
    target_id: int
    inspector_ids: tuple[int, ...]


def draw(
    seed: int,
    targets: Sequence[int],
    count: int,
    inspectors: Sequence[int],
    per_target: int = INSPECTORS_PER_TARGET,
) -> tuple[Pick, ...]:
    """`count` targets (all of them when the pool is smaller) with `per_target` inspectors
    each; ValueError when there are fewer inspectors than one target needs."""
    if count < 1:
        raise ValueError("抽取数量至少为1")
    pool_inspectors = sorted(set(inspectors))
    if len(pool_inspectors) < per_target:
        raise ValueError(f"持有效执法证的执法人员不足{per_target}名")
    rng = random.Random(seed)
    chosen = rng.sample(sorted(set(targets)), min(count, len(set(targets))))
    return tuple(
        Pick(target, tuple(sorted(rng.sample(pool_inspectors, per_target)))) for target in chosen
    )
