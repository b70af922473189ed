"""Shared state of one generation run: configuration, calendar, random streams, ledgers."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from common_kpi.generator.messiness import Defects
from common_kpi.generator.timeutil import DAY, JST_OFFSET, BusinessCalendar, day_number

HISTORY_START = dt.date(2024, 4, 1)
BUSINESS_UNITS = ["SaaS事業部", "コンサルティング事業部"]
SAAS, CONSULTING = 0, 1


@dataclass
class GeneratorConfig:
    scale: float = 1.0
    seed: int = 42
    fmt: str = "csv"
    as_of: dt.date = dt.date(2026, 11, 25)
    out: Path = Path("data/raw/demo")
    progress: bool = True

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError("scale must be positive")
        if self.fmt not in {"csv", "parquet"}:
            raise ValueError("format must be csv or parquet")
        if self.as_of <= HISTORY_START + dt.timedelta(days=120):
            raise ValueError(f"as_of must be after {HISTORY_START} + 120 days")


@dataclass
class World:
    cfg: GeneratorConfig
    defects: Defects = field(default_factory=Defects)
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.start_day = day_number(HISTORY_START)
        self.as_of_day = day_number(self.cfg.as_of)
        # Everything happens before the as-of date 00:00 JST; connectors sync just after.
        self.start = self.start_day * DAY - JST_OFFSET
        self.cutoff = self.as_of_day * DAY - JST_OFFSET
        self.calendar = BusinessCalendar(day_number(dt.date(2018, 1, 1)),
                                         day_number(dt.date(2028, 12, 31)))

    def rng(self, name: str, *keys: int) -> np.random.Generator:
        """An independent, reproducible random stream per component (and chunk)."""
        return np.random.default_rng([self.cfg.seed, zlib.crc32(name.encode()), *keys])

    def n(self, base: float, minimum: int = 1) -> int:
        """A count that scales linearly with the scale factor."""
        return max(minimum, round(base * self.cfg.scale))

    def synced(self, rng: np.random.Generator, n: int, after: np.ndarray | None = None) -> np.ndarray:
        """Connector sync times: within six hours after the cutoff (and after `after`)."""
        t = self.cutoff + 3600 + rng.integers(0, 5 * 3600, size=n)
        if after is not None:
            t = np.maximum(t, np.asarray(after) + 60)
        return t
