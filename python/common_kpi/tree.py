"""`common-kpi tree`: print the KPI tree of the latest complete month and the priorities.

Reads the marts `kpi_tree` and `kpi_priorities` of the published BI file (read-only):
KGI → KSF → KPI with Japanese labels, owner department, actual against target, achievement,
a status mark and the period each value is judged on (with the pro-rating of a target), then
the KPIs in the meeting's order (missed and at-risk first; see `labels.meeting_order`).
Every word and number format comes from `common_kpi.labels`; `render_tree(connection)`
returns the text, for `common-kpi build` and the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from common_kpi import labels
from common_kpi.warehouse import (
    TableMissing,
    Warehouse,
    WarehouseError,
    connect_read_only,
    fetch_dicts,
    find_relation,
)

KPI_MARTS: tuple[str, ...] = (
    "kgi_monthly",
    "kpi_new_customers_monthly",
    "kpi_retention_monthly",
    "kpi_revenue_per_customer_monthly",
)
"""The KGI mart and one KPI mart per KSF, all at KPI x month grain with the same columns."""


def kpi_tree_sql(connection: duckdb.DuckDBPyConnection, where: str) -> str:
    """The kpi_tree rows (filtered by `where`) with the annual target and the months judged
    of each node's evaluated month from its KPI mart, to say how a target was pro-rated.
    Without the KPI marts (a warehouse holding only the tree), those two columns are null."""
    tree = find_relation(connection, "kpi_tree")
    try:
        marts = " union all ".join(
            f"select kpi_id, month_start_date, target_value, judged_month_count "
            f"from {find_relation(connection, mart)}"
            for mart in KPI_MARTS
        )
    except TableMissing:
        marts = (
            "select cast(null as varchar) as kpi_id, cast(null as date) as month_start_date, "
            "cast(null as double) as target_value, cast(null as integer) as judged_month_count"
        )
    return f"""
        with marts as ({marts})
        select tree.*, marts.target_value, marts.judged_month_count
        from {tree} as tree
        left join marts
            on marts.kpi_id = tree.node_id
            and marts.month_start_date = tree.evaluated_month_start_date
        where {where}
        order by tree.sort_order
    """


@dataclass(frozen=True)
class TreeNode:
    row: dict[str, Any]

    def line(self) -> str:
        row = self.row
        level = labels.level_label(row["node_level"])
        name = f"{row['name_ja']} ({row['name_en']}) [{row['owner_department_ja']}]"
        head = f"{labels.status_text(row['status'])}  {level} {name}"
        if row["node_level"] == "ksf":
            summary = labels.ksf_summary(row.get("achieved_kpi_count"), row.get("judged_kpi_count"))
            return head if summary == labels.NULL_TEXT else f"{head}  {summary}"
        unit = row["unit"]
        achievement = row.get("achievement_rate")
        achieved = "" if labels.is_null(achievement) else f"  達成率 {labels.format_rate(achievement)}"
        note = labels.judged_note(
            judged_period=row["judged_period"],
            evaluated_month=row.get("evaluated_month_start_date"),
            period_month=row["month_start_date"],
            target=row["target"],
            target_value=row.get("target_value"),
            judged_month_count=row.get("judged_month_count"),
            unit=unit,
            basis=row.get("basis_label_ja"),
        )
        gap_note = labels.other_source_note(row)
        if gap_note:
            note = f"{note}・{gap_note}"
        return (
            f"{head}  実績 {labels.format_kpi_value(row['actual'], unit)} / "
            f"目標 {labels.format_kpi_value(row['target'], unit)}{achieved}  ({note})"
        )


def _children(rows: Iterable[dict[str, Any]], parent: str | None) -> list[dict[str, Any]]:
    return sorted((r for r in rows if r["parent_node_id"] == parent), key=lambda r: r["sort_order"])


def _render_branch(rows: list[dict[str, Any]], parent: str, prefix: str, out: list[str]) -> None:
    children = _children(rows, parent)
    for index, child in enumerate(children):
        last = index == len(children) - 1
        out.append(f"{prefix}{'└─ ' if last else '├─ '}{TreeNode(child).line()}")
        _render_branch(rows, child["node_id"], prefix + ("   " if last else "│  "), out)


def priority_line(row: dict[str, Any]) -> str:
    impact = row["annual_revenue_impact_jpy"]
    note = labels.impact_note(row["impact_method"], impact, row["status"])
    worth = f"{labels.format_yen(impact)}/年" if not labels.is_null(impact) else labels.NULL_TEXT
    method = labels.impact_method_label(row["impact_method"])
    unit = row["unit"]
    return (
        f"{row['meeting_rank']:>3}. {labels.status_text(row['status'])}  {row['kpi_name_ja']} "
        f"({row['kpi_name_en']}) [{row['owner_department_ja']}]  "
        f"{labels.format_kpi_value(row['actual'], unit)} → {labels.format_kpi_value(row['target'], unit)}  "
        f"{worth} ({method}{': ' + note if note else ''})"
    )


def render_tree(connection: duckdb.DuckDBPyConnection) -> str:
    """The KPI tree of the latest complete month and the priority list, as text."""
    rows = fetch_dicts(connection, kpi_tree_sql(connection, "tree.is_latest_complete_period"))
    if not rows:
        return "KPIツリー / KPI tree: no complete month in the warehouse yet."
    period: dt.date = rows[0]["month_start_date"]
    out = [
        f"KPIツリー / KPI tree — {labels.format_month(period)} (最新の完了月 / latest complete month)",
        f"凡例 / legend: {labels.status_legend()}",
        "",
    ]
    for root in _children(rows, None):
        out.append(TreeNode(root).line())
        _render_branch(rows, root["node_id"], "", out)
    out += ["", "改善優先順位 / Priorities (未達・注意を先に、金額は年間売上インパクト):"]
    priorities = fetch_dicts(connection, f"select * from {find_relation(connection, 'kpi_priorities')}")
    out += [priority_line(row) for row in labels.meeting_order(priorities)]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi tree", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path", type=Path, default=None, help="DuckDB file (default: the published BI file)"
    )
    args = parser.parse_args(argv)
    try:
        with connect_read_only(args.path or Warehouse.bi().path) as connection:
            print(render_tree(connection))
    except WarehouseError as error:
        print(f"common-kpi tree: {error}", file=sys.stderr)
        return 2
    return 0
