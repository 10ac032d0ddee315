"""Loading the indicator catalogue (catalog/indicators/): the indicator files of each area,
the sources of imported figures and the evaluation schemes, checked strictly against the
loaded case types' metrics (fazhi.domain.indicators.parse).

A deployment adds or replaces files with a folder of the same layout named by
FAZHI_INDICATORS_DIR (areas/*.yaml, sources.yaml, schemes/*.yaml): a file of the same name
replaces the shipped one, others are added.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from fazhi.domain.case_type import CaseType
from fazhi.domain.indicators.parse import IndicatorCatalogError, TypeMetrics, parse_catalog
from fazhi.domain.indicators.spec import Catalog

HERE = Path(__file__).parent / "indicators"
INVENTORY = HERE / "inventory"

__all__ = ["HERE", "INVENTORY", "IndicatorCatalogError", "load_indicator_catalog", "type_metrics"]


def type_metrics(types: Iterable[CaseType]) -> TypeMetrics:
    """type → metric → whether it is a `by` metric, for checking `metric:` inputs."""
    return {t.name: {m.name: m.by is not None for m in t.metrics} for t in types}


def _files(folders: list[Path], sub: str) -> list[tuple[str, Any]]:
    chosen: dict[str, Path] = {}
    for folder in folders:
        base = folder / sub
        if base.is_dir():
            for path in sorted(base.glob("*.yaml")):
                chosen[path.name] = path
    return [(f"{sub}/{name}", _read(path)) for name, path in sorted(chosen.items())]


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise IndicatorCatalogError([f"{path.name}: not YAML: {exc}"]) from None


def load_indicator_catalog(
    types: Iterable[CaseType] | None = None,
    extra: str | Path | None = None,
    records: Iterable[str] | None = None,
) -> Catalog:
    """The shipped catalogue plus FAZHI_INDICATORS_DIR (or `extra`); with `types`, every
    metric input is checked against them, with `records` (the names of the registered record
    sources) every records input. Raises IndicatorCatalogError listing every fault."""
    folders = [HERE]
    chosen = extra if extra is not None else os.environ.get("FAZHI_INDICATORS_DIR")
    if chosen:
        folders.append(Path(chosen))
    sources = None
    for folder in folders:
        if (folder / "sources.yaml").is_file():
            sources = ("sources.yaml", _read(folder / "sources.yaml"))
    return parse_catalog(
        _files(folders, "areas"),
        sources,
        _files(folders, "schemes"),
        type_metrics(types) if types is not None else None,
        frozenset(records) if records is not None else None,
    )
