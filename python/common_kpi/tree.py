"""`common-kpi tree`: print the KPI tree of the latest complete month and the priorities.

Reads the marts `kpi_tree` and `kpi_priorities` of the published warehouse (read-only):
KGI → KSF → KPI with Japanese labels, owner department, actual against target, achievement
and a status mark, then the KPIs ranked by the yearly revenue closing their gap is worth.
`render_tree(connection)` returns the text, for `common-kpi build` and the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from common_kpi import PROJECT_DIR

DEFAULT_PUBLISHED = PROJECT_DIR / "warehouse" / "common_kpi.duckdb"

STATUS_LABELS: dict[str, tuple[str, str]] = {
    # status: (mark, Japanese label)
    "achieved": ("◎", "達成"),
    "at_risk": ("△", "注意"),
    "missed": ("×", "未達"),
    "immature": ("…", "未成熟"),
    "no_data": ("－", "データなし"),
}
LEVEL_LABELS = {"kgi": "KGI", "ksf": "KSF", "kpi": "KPI"}
PERIOD_LABELS = {"month": "", "fiscal_quarter": "四半期累計", "fiscal_year": "年度累計"}
IMPACT_LABELS = {
    "funnel_multiplicative": "ファネル",
    "retained_revenue": "継続売上",
    "expansion_revenue": "拡大売上",
    "not_quantified": "金額換算なし",
}


class WarehouseError(RuntimeError):
    """The published warehouse or a KPI mart in it is missing."""


def published_path() -> Path:
    return Path(os.environ.get("COMMON_KPI_PUBLISHED_PATH", DEFAULT_PUBLISHED))


def find_relation(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """The quoted `schema.name` of a table or view, whatever the dbt target's schema naming."""
    rows = connection.execute(
        """
        select table_schema
        from information_schema.tables
        where table_name = ?
        order by table_schema like '%marts%' desc, table_schema
        """,
        [name],
    ).fetchall()
    if not rows:
        raise WarehouseError(f"table {name!r} is not in the warehouse (run `make build` first)")
    return f'"{rows[0][0]}"."{name}"'


def fetch_dicts(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def format_value(value: float | None, unit: str) -> str:
    """A KPI value for people: a rate as a percentage, yen with separators."""
    if value is None:
        return "n/a"
    if unit == "rate":
        return f"{value:.1%}"
    if unit == "jpy":
        return f"¥{value:,.0f}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def status_mark(status: str) -> str:
    mark, label = STATUS_LABELS.get(status, ("?", status))
    return f"{mark} {label}"


@dataclass(frozen=True)
class TreeNode:
    row: dict[str, Any]

    @property
    def node_id(self) -> str:
        return str(self.row["node_id"])

    def line(self) -> str:
        row = self.row
        level = LEVEL_LABELS.get(row["node_level"], row["node_level"])
        name = f"{row['name_ja']} ({row['name_en']}) [{row['owner_department_ja']}]"
        head = f"{status_mark(row['status'])}  {level} {name}"
        if row["node_level"] == "ksf":
            judged, achieved = row.get("judged_kpi_count"), row.get("achieved_kpi_count")
            if judged:
                return f"{head}  KPI達成 {achieved}/{judged}"
            return head
        actual = format_value(row["actual"], row["unit"])
        target = format_value(row["target"], row["unit"])
        achievement = (
            f"  達成率 {row['achievement_rate']:.1%}" if row.get("achievement_rate") is not None else ""
        )
        notes = [PERIOD_LABELS.get(row["judged_period"], "")]
        evaluated: dt.date | None = row.get("evaluated_month_start_date")
        if evaluated is not None and evaluated != row["month_start_date"]:
            notes.append(f"判定月 {evaluated:%Y-%m}")
        note = f"  ({', '.join(n for n in notes if n)})" if any(notes) else ""
        return f"{head}  実績 {actual} / 目標 {target}{achievement}{note}"


def _children(rows: Iterable[dict[str, Any]], parent: str | None) -> list[dict[str, Any]]:
    return sorted((r for r in rows if r["parent_node_id"] == parent), key=lambda r: r["sort_order"])


def _render_branch(rows: list[dict[str, Any]], parent: str, prefix: str, out: list[str]) -> None:
    children = _children(rows, parent)
    for index, child in enumerate(children):
        last = index == len(children) - 1
        out.append(f"{prefix}{'└─ ' if last else '├─ '}{TreeNode(child).line()}")
        _render_branch(rows, child["node_id"], prefix + ("   " if last else "│  "), out)


def render_tree(connection: duckdb.DuckDBPyConnection) -> str:
    """The KPI tree of the latest complete month and the priority list, as text."""
    tree_relation = find_relation(connection, "kpi_tree")
    rows = fetch_dicts(
        connection,
        f"select * from {tree_relation} where is_latest_complete_period order by sort_order",
    )
    if not rows:
        return "KPIツリー / KPI tree: no complete month in the warehouse yet."
    period: dt.date = rows[0]["month_start_date"]
    legend = "  ".join(f"{mark} {ja} ({status})" for status, (mark, ja) in STATUS_LABELS.items())
    out = [
        f"KPIツリー / KPI tree — {period:%Y-%m} (最新の完了月 / latest complete month)",
        f"凡例 / legend: {legend}",
        "",
    ]
    for root in _children(rows, None):
        out.append(TreeNode(root).line())
        _render_branch(rows, root["node_id"], "", out)
    out += ["", "改善優先順位 / Priorities (closing the gap is worth, yearly KGI revenue):"]
    priorities = fetch_dicts(
        connection,
        f"select * from {find_relation(connection, 'kpi_priorities')} order by priority_rank",
    )
    for row in priorities:
        impact = row["annual_revenue_impact_jpy"]
        worth = f"¥{impact:,.0f}/年" if impact is not None else "―"
        method = IMPACT_LABELS.get(row["impact_method"], row["impact_method"])
        out.append(
            f"{row['priority_rank']:>3}. {status_mark(row['status'])}  {row['kpi_name_ja']} "
            f"({row['kpi_name_en']}) [{row['owner_department_ja']}]  "
            f"{format_value(row['actual'], row['unit'])} → {format_value(row['target'], row['unit'])}  "
            f"{worth} ({method})"
        )
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi tree", description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=None, help="DuckDB file (default: published)")
    args = parser.parse_args(argv)
    path = args.path or published_path()
    if not path.is_file():
        print(f"common-kpi tree: {path} does not exist (run `make build` first)", file=sys.stderr)
        return 2
    from common_kpi.warehouse_access import WarehouseLockedError, connect_read_only

    try:
        with connect_read_only(path) as connection:
            print(render_tree(connection))
    except (WarehouseError, WarehouseLockedError) as error:
        print(f"common-kpi tree: {error}", file=sys.stderr)
        return 2
    return 0
