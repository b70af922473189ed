"""One line per failed check, readable without opening anything else.

Every check of `common-kpi quality` (a Great Expectations expectation, a KPI recomputation, a
personal-data scan) reports its failures as `Failure` records; `render_report` turns them
into the lines printed on the console, grouped by the check that found them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Failure:
    """A failed check: where (table, column), what (check), and what was observed."""

    check: str
    table: str
    column: str
    expectation: str
    observed: str

    def line(self) -> str:
        column = self.column or "-"
        return f"FAIL {self.table} | {column} | {self.expectation} | observed: {self.observed}"


def format_value(value: Any) -> str:
    """A value as a person reads it: floats without noise, long lists shortened."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | tuple):
        shown = ", ".join(format_value(item) for item in list(value)[:MAX_EXAMPLES])
        more = f", … ({len(value)} in all)" if len(value) > MAX_EXAMPLES else ""
        return f"[{shown}{more}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {format_value(item)}" for key, item in value.items()) + "}"
    return str(value)


def render_report(sections: Sequence[tuple[str, int, Iterable[Failure]]]) -> tuple[str, int]:
    """Lines for each (section name, checks evaluated, failures); returns text and failure count."""
    lines: list[str] = []
    total_failures = 0
    for name, evaluated, failures in sections:
        failures = list(failures)
        total_failures += len(failures)
        status = "ok" if not failures else f"{len(failures)} FAILED"
        lines.append(f"{name}: {evaluated} checks, {status}")
        lines.extend(f"  {failure.line()}" for failure in failures)
    return "\n".join(lines), total_failures
