"""`common-kpi pack`: the monthly review pack shows the marts' numbers and needs no network.

The pack is written from the warehouse under test, its `data-ck-*` markers are parsed, and
every figure is compared with an independent query on the marts (not with the dashboard's
own query functions).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dashboard_harness import Marker, as_float, ck_markers, warehouse_under_test

from common_kpi import labels
from common_kpi.bi_export import default_bi_path
from common_kpi.pack import TOP_PRIORITIES, write_pack
from common_kpi.warehouse import Warehouse

# warehouse_under_test asks for the demo build at run time: same xdist group as its other readers.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(request: pytest.FixtureRequest) -> Path:
    return warehouse_under_test(request)[0]


@pytest.fixture(scope="module")
def pack_html(published: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("pack")
    path = write_pack(
        Warehouse.bi(default_bi_path(published)), out, generated_at=dt.datetime(2026, 1, 1, 9, 0)
    )
    return path, path.read_text(encoding="utf-8")


def query(published: Path, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    warehouse = Warehouse(published)
    for name in ("kpi_tree", "kpi_alerts", "kpi_priorities", "reporting_period"):
        sql = sql.replace("{" + name + "}", warehouse.relation(name))
    with duckdb.connect(str(published), read_only=True) as connection:
        return connection.execute(sql, params or []).df()


def latest_month(published: Path) -> dt.date:
    frame = query(published, "select latest_complete_month_start_date as month from {reporting_period}")
    return pd.Timestamp(frame["month"].iloc[0]).date()


def same(shown: str, expected: object) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return shown == ""
    value = as_float(shown)
    return value is not None and math.isclose(value, float(expected), rel_tol=1e-12, abs_tol=1e-12)


def figures(markers: list[Marker], **where: str) -> dict[str, str]:
    return {
        marker.field: marker.value
        for marker in markers
        if all(getattr(marker, key) == value for key, value in where.items())
    }


def test_pack_is_named_after_the_latest_complete_month(published: Path, pack_html: tuple[Path, str]) -> None:
    path, _ = pack_html
    assert path.name == f"monthly_review_{latest_month(published):%Y-%m}.html"


def test_pack_tree_equals_kpi_tree(published: Path, pack_html: tuple[Path, str]) -> None:
    _, html = pack_html
    markers = ck_markers(html)
    expected = query(
        published,
        "select node_id, actual, target, achievement_rate, status from {kpi_tree} where month_start_date = ?",
        [latest_month(published)],
    )
    assert len(expected) >= 13  # 2 KGIs, 3 KSFs, 8 KPIs in kpi_tree.yml
    for row in expected.itertuples(index=False):
        shown = figures(markers, table="kpi_tree", node=row.node_id)
        assert shown, f"node {row.node_id} missing from the pack's tree"
        assert same(shown["actual"], row.actual), (row.node_id, shown["actual"], row.actual)
        assert same(shown["target"], row.target), (row.node_id, shown["target"], row.target)
        assert same(shown["achievement_rate"], row.achievement_rate), row.node_id
        assert shown["status"] == row.status, row.node_id


def test_pack_alerts_equal_kpi_alerts(published: Path, pack_html: tuple[Path, str]) -> None:
    _, html = pack_html
    markers = ck_markers(html)
    expected = query(published, "select kpi_id, actual, target, status from {kpi_alerts}")
    rows = {marker.row for marker in markers if marker.table == "alerts"}
    assert rows == set(expected["kpi_id"])
    for row in expected.itertuples(index=False):
        shown = figures(markers, table="alerts", row=row.kpi_id)
        assert same(shown["actual"], row.actual) and same(shown["target"], row.target), row.kpi_id
        assert shown["status"] == row.status


def test_pack_top_priorities_with_revenue_impact(published: Path, pack_html: tuple[Path, str]) -> None:
    """The pack's top 5 are the meeting's order (as on the dashboard): missed and at-risk
    KPIs first, an unpriced miss above every achieved KPI, each with the mart's figures."""
    _, html = pack_html
    markers = ck_markers(html)
    mart = query(published, "select * from {kpi_priorities} order by priority_rank")
    expected = pd.DataFrame(labels.meeting_order(mart.to_dict("records"))).head(TOP_PRIORITIES)
    shown_rows = [
        marker.row for marker in markers if marker.table == "priorities" and marker.field == "priority_rank"
    ]
    assert shown_rows == list(expected["kpi_id"])
    # The demo: 商談化率, クロスセル率 (at risk), then the unpriced misses by achievement (NPS
    # 81.9 %, then the SLA 82.8 % once it counts the MQL KPIs' population), then the first
    # achieved KPI (継続率, achieved on the customer basis of issue 12).
    assert shown_rows == [
        "mql_to_opportunity_rate",
        "cross_sell_rate",
        "nps",
        "lead_handoff_sla_rate",
        "retention_rate",
    ]
    for row in expected.itertuples(index=False):
        shown = figures(markers, table="priorities", row=row.kpi_id)
        assert same(shown["priority_rank"], row.priority_rank)
        assert same(shown["annual_revenue_impact_jpy"], row.annual_revenue_impact_jpy), row.kpi_id


def test_pack_lists_each_kpi_under_each_owner_department(
    published: Path, pack_html: tuple[Path, str]
) -> None:
    _, html = pack_html
    markers = ck_markers(html)
    expected = query(
        published,
        "select node_id, owner_department, actual from {kpi_tree} "
        "where month_start_date = ? and node_level = 'kpi'",
        [latest_month(published)],
    )
    for row in expected.itertuples(index=False):
        for department in row.owner_department.split(","):
            shown = figures(markers, table=f"department_{department}", row=row.node_id)
            assert shown, f"{row.node_id} missing under {department}"
            assert same(shown["actual"], row.actual)


def test_pack_is_self_contained_and_printable(pack_html: tuple[Path, str]) -> None:
    _, html = pack_html
    assert "@media print" in html and "@page" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html, flags=re.IGNORECASE)
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", html, flags=re.IGNORECASE)
    assert "url(" not in html
    assert html.count("<svg") >= 8  # one sparkline per KPI at least
