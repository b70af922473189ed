"""The data-quality configuration (`quality.yml` beside this module): which tables are
validated, by which expectations, and every bound and threshold they use.

A suite entry reads one table (or one query) into pandas and names its expectations in a
compact form; `checkpoint.build_expectations` turns them into Great Expectations objects.
Volume bounds are written for generator scale 1 and multiplied by the scale recorded in the
raw data's `_manifest.json` (1 for real data without a manifest), so the same file serves
the demo (scale 1), the test corpus and a benchmark run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG = Path(__file__).with_name("quality.yml")
LAYERS = ("raw", "staged", "marts", "reconciliation")
EXPECTATION_KEYS = {
    "row_count",
    "row_count_per_scale",
    "row_count_equals_query",
    "columns",
    "not_null",
    "not_null_mostly",
    "unique",
    "between",
    "between_per_scale",
    "rates",
    "in_set",
    "equal_pairs",
    "ordered_pairs",
}
COLUMN_LIST_KEYS = ("not_null", "rates")
COLUMN_MAP_KEYS = ("not_null_mostly", "between", "between_per_scale", "in_set")
COLUMN_PAIR_KEYS = ("equal_pairs", "ordered_pairs")


class QualityConfigError(Exception):
    """quality.yml is malformed: the message names the suite and the key."""


@dataclass(frozen=True)
class SuiteConfig:
    """One table (or query) and the expectations it must meet."""

    name: str
    layer: str
    description: str
    relation: str | None
    query: str | None
    expectations: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return f"{self.layer}.{self.name}"

    def referenced_columns(self) -> list[str] | None:
        """The columns the expectations read (None = every column: a column-set check)."""
        spec = self.expectations
        if "columns" in spec:
            return None
        names: list[str] = []
        for key in COLUMN_LIST_KEYS:
            names += list(spec.get(key) or [])
        for key in COLUMN_MAP_KEYS:
            names += list((spec.get(key) or {}).keys())
        for key in COLUMN_PAIR_KEYS:
            names += [name for pair in spec.get(key) or [] for name in pair]
        for unique_key in spec.get("unique") or []:
            names += unique_key if isinstance(unique_key, list) else [unique_key]
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class QualityConfig:
    suites: tuple[SuiteConfig, ...]
    kpi_reconciliation: dict[str, Any]
    pii: dict[str, Any]


def _suite(entry: dict[str, Any], position: int) -> SuiteConfig:
    name = entry.get("name")
    if not name:
        raise QualityConfigError(f"quality.yml: suite #{position} has no name")
    layer = entry.get("layer")
    if layer not in LAYERS:
        raise QualityConfigError(f"quality.yml: suite {name}: layer {layer!r} is not one of {LAYERS}")
    relation, query = entry.get("relation"), entry.get("query")
    if (relation is None) == (query is None):
        raise QualityConfigError(f"quality.yml: suite {name}: give exactly one of relation / query")
    expectations = entry.get("expect") or {}
    unknown = sorted(set(expectations) - EXPECTATION_KEYS)
    if unknown:
        raise QualityConfigError(
            f"quality.yml: suite {name}: unknown expectation key(s) {unknown}; "
            f"known: {sorted(EXPECTATION_KEYS)}"
        )
    if not expectations:
        raise QualityConfigError(f"quality.yml: suite {name}: `expect` is empty")
    return SuiteConfig(
        name=name,
        layer=layer,
        description=entry.get("description", ""),
        relation=relation,
        query=query,
        expectations=expectations,
    )


def load_config(path: Path = DEFAULT_CONFIG) -> QualityConfig:
    """Read and validate quality.yml."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    suites = tuple(_suite(entry, index) for index, entry in enumerate(document.get("suites", []), 1))
    names = [suite.display_name for suite in suites]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise QualityConfigError(f"quality.yml: suite names repeat: {duplicates}")
    return QualityConfig(
        suites=suites,
        kpi_reconciliation=document.get("kpi_reconciliation") or {},
        pii=document.get("pii") or {},
    )


def volume_scale(raw_path: Path | None) -> float:
    """The generator scale of the raw data (its `_manifest.json`), or 1 without a manifest."""
    if raw_path is None:
        return 1.0
    manifest = raw_path / "_manifest.json"
    if not manifest.exists():
        return 1.0
    scale = json.loads(manifest.read_text(encoding="utf-8")).get("scale", 1)
    return float(scale)
