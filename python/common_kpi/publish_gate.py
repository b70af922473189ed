"""The plausibility gate: a build that passed dbt is compared with the last published one.

A build can pass every dbt test and still be wrong: a core table that arrived with a header
only builds an empty fact table and reads as ¥0 revenue. Before publishing, `common-kpi
build` compares the new build with the published one:

- row counts of every table present in both: a table that had rows and is now empty, or
  whose row count changed by more than `max_volume_change` (a share of the published count)
  while one of the two counts reaches `min_rows`, is a refusal;
- KPI values of `kpi_tree` (one per node x month): a value the published build had that is
  now missing counts as lost; more than `max_kpi_lost_share` of them lost is a refusal.
  Values that changed are reported (count and the largest moves), not refused: late data
  legitimately revises recent months.

A refusal keeps the published file as it was; `--accept-changes` (or
COMMON_KPI_ACCEPT_CHANGES=1) publishes anyway once someone has checked the change is real.
Settings: README "Running it in CI" documents them with their environment variables.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

KPI_TABLE = ("main_marts", "kpi_tree")
KPI_KEY = ("node_id", "month_start_date")


@dataclass(frozen=True)
class GateSettings:
    max_volume_change: float = 0.5
    min_rows: int = 100
    max_kpi_lost_share: float = 0.1

    @classmethod
    def from_env(cls) -> GateSettings:
        defaults = cls()
        return cls(
            max_volume_change=float(
                os.environ.get("COMMON_KPI_MAX_VOLUME_CHANGE", defaults.max_volume_change)
            ),
            min_rows=int(os.environ.get("COMMON_KPI_MIN_ROWS_COMPARED", defaults.min_rows)),
            max_kpi_lost_share=float(
                os.environ.get("COMMON_KPI_MAX_KPI_LOST_SHARE", defaults.max_kpi_lost_share)
            ),
        )


@dataclass(frozen=True)
class TableChange:
    table: str
    published_rows: int
    new_rows: int

    @property
    def change_share(self) -> float:
        if self.published_rows == 0:
            return 0.0 if self.new_rows == 0 else math.inf
        return (self.new_rows - self.published_rows) / self.published_rows

    def describe(self) -> str:
        share = "new" if math.isinf(self.change_share) else f"{self.change_share:+.0%}"
        return f"{self.table}: {self.published_rows:,} → {self.new_rows:,} rows ({share})"


@dataclass
class GateReport:
    tables_compared: int = 0
    table_changes: list[TableChange] = field(default_factory=list)
    kpi_values_compared: int = 0
    kpi_values_lost: list[str] = field(default_factory=list)
    kpi_values_changed: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.refusals

    def summary(self) -> str:
        lines = [
            f"compared with the published build: {self.tables_compared} tables, "
            f"{self.kpi_values_compared} KPI values ({len(self.kpi_values_changed)} changed, "
            f"{len(self.kpi_values_lost)} lost)"
        ]
        for node, before, after in self.kpi_values_changed[:5]:
            lines.append(f"  KPI value changed: {node}: {before} → {after}")
        lines += [f"  notice: {notice}" for notice in self.notices]
        lines += [f"  REFUSED: {refusal}" for refusal in self.refusals]
        return "\n".join(lines)


def _table_counts(connection: Any, catalog: str) -> dict[str, int]:
    tables = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = ? and table_type = 'BASE TABLE' order by 1, 2",
        [catalog],
    ).fetchall()
    counts = {}
    for schema, table in tables:
        relation = f'"{catalog}"."{schema}"."{table}"'
        (count,) = connection.execute(f"select count(*) from {relation}").fetchone()
        counts[f"{schema}.{table}"] = int(count)
    return counts


def _kpi_values(connection: Any, catalog: str) -> dict[tuple[Any, ...], float | None]:
    schema, table = KPI_TABLE
    exists = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = ? and table_schema = ? and table_name = ?",
        [catalog, schema, table],
    ).fetchone()[0]
    if not exists:
        return {}
    rows = connection.execute(
        f'select {", ".join(KPI_KEY)}, actual from "{catalog}"."{schema}"."{table}"'
    ).fetchall()
    return {tuple(row[:-1]): row[-1] for row in rows}


def _relative_move(before: float, after: float) -> float:
    if before == after:
        return 0.0
    return abs(after - before) / max(abs(before), 1e-12)


def compare_catalogs(
    connection: Any, new_catalog: str, published_catalog: str, settings: GateSettings
) -> GateReport:
    """Compare two attached DuckDB catalogs (the new build and the published one)."""
    report = GateReport()
    published = _table_counts(connection, published_catalog)
    new = _table_counts(connection, new_catalog)
    for table in sorted(set(published) - set(new)):
        if table.startswith(f"{KPI_TABLE[0]}."):
            report.refusals.append(f"{table} is published (BI tools read it) but not in the new build")
        else:
            report.notices.append(f"{table} is published but not in the new build")
    for table in sorted(set(new) - set(published)):
        report.notices.append(f"{table} is new ({new[table]:,} rows)")
    for table in sorted(set(published) & set(new)):
        report.tables_compared += 1
        change = TableChange(table, published[table], new[table])
        if change.published_rows == change.new_rows:
            continue
        report.table_changes.append(change)
        if change.published_rows > 0 and change.new_rows == 0:
            report.refusals.append(f"{change.describe()}: the table is empty now")
        elif (
            max(change.published_rows, change.new_rows) >= settings.min_rows
            and abs(change.change_share) > settings.max_volume_change
        ):
            report.refusals.append(
                f"{change.describe()}: more than the allowed ±{settings.max_volume_change:.0%}"
            )

    before, after = _kpi_values(connection, published_catalog), _kpi_values(connection, new_catalog)
    valued = {key: value for key, value in before.items() if value is not None}
    report.kpi_values_compared = len(valued)
    for key, value in sorted(valued.items(), key=lambda item: str(item[0])):
        label = " ".join(str(part) for part in key)
        new_value = after.get(key)
        if new_value is None:
            report.kpi_values_lost.append(label)
        elif _relative_move(value, new_value) > 1e-9:
            report.kpi_values_changed.append((label, value, new_value))
    report.kpi_values_changed.sort(key=lambda item: -_relative_move(item[1], item[2]))
    if valued and len(report.kpi_values_lost) / len(valued) > settings.max_kpi_lost_share:
        examples = ", ".join(report.kpi_values_lost[:3])
        report.refusals.append(
            f"{len(report.kpi_values_lost)} of {len(valued)} published KPI values have no value "
            f"in the new build (more than the allowed {settings.max_kpi_lost_share:.0%}; e.g. {examples})"
        )
    return report
