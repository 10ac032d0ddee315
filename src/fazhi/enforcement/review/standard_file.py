"""The scoring standard read from its YAML file (the demo default beside this module, or a
province's), once per process: the review itself reads no files."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from fazhi.enforcement.review.standard import Standard, StandardError, parse_standard

DEFAULT_STANDARD = Path(__file__).with_name("standard.yaml")


def load_standard(path: Path) -> Standard:
    try:
        return parse_standard(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise StandardError(str(path), f"无法读取评分标准（{exc}）") from exc


@functools.cache
def default_standard() -> Standard:
    return load_standard(DEFAULT_STANDARD)
