"""The dashboard's label dictionary and HTML rendering (fast: no warehouse, no browser)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from dashboard_harness import ck_markers

from common_kpi import PROJECT_DIR
from common_kpi.dashboard import i18n, render

SOURCES = [
    *sorted((PROJECT_DIR / "python" / "common_kpi" / "dashboard").glob("*.py")),
    PROJECT_DIR / "python" / "common_kpi" / "pack.py",
]


def test_every_label_has_japanese_and_english() -> None:
    for key, texts in i18n.LABELS.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


def test_every_label_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*[\"']([a-z0-9_]+)[\"']\s*[,)]", text))
        used |= set(re.findall(r"Column\(\s*[\"'][a-z0-9_]+[\"']\s*,\s*[\"']([a-z0-9_]+)[\"']", text))
    assert used, "no label use found: the pattern is wrong"
    assert used <= set(i18n.LABELS), sorted(used - set(i18n.LABELS))


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (0.2345, "rate", "23.4%"),
        (1234567.4, "jpy", "123万円"),
        (258.0, "count", "258"),
        (33.21, "number", "33.2"),
        (None, "rate", "—"),
        (float("nan"), "count", "—"),
        (pd.Timestamp("2026-10-01"), "month", "2026-10"),
        ("missed", "status", "未達"),
    ],
)
def test_format_value(value: object, kind: str, shown: str) -> None:
    assert render.format_value(value, kind, "ja") == shown


def test_tree_nests_children_under_parents_with_markers() -> None:
    nodes = pd.DataFrame(
        [
            ("kgi_revenue", None, "kgi", "年間売上", "Annual revenue", "jpy", 6.5e8, 5.8e8, 1.1, "achieved"),
            (
                "ksf_new",
                "kgi_revenue",
                "ksf",
                "新規顧客獲得",
                "New customers",
                "rate",
                0.25,
                1.0,
                0.25,
                "missed",
            ),
            ("win_rate", "ksf_new", "kpi", "成約率", "Win rate", "rate", 0.155, 0.2, 0.775, "missed"),
        ],
        columns=[
            "node_id",
            "parent_node_id",
            "node_level",
            "name_ja",
            "name_en",
            "unit",
            "actual",
            "target",
            "achievement_rate",
            "status",
        ],
    ).assign(owner_department_ja="全部門", owner_department_en="All departments")
    html = render.tree_html(nodes, "en")
    # the KPI's list item sits inside the KSF's, inside the KGI's
    assert re.search(r'data-ck-node="kgi_revenue".*<ul><li><div[^>]*data-ck-node="ksf_new".*<ul><li>', html)
    markers = {(m.node, m.field): m for m in ck_markers(html)}
    assert markers[("win_rate", "actual")].value == "0.155"
    assert markers[("win_rate", "actual")].text.endswith("15.5%")
    assert markers[("kgi_revenue", "target")].text.endswith("¥580M")
    assert markers[("ksf_new", "status")].value == "missed"
    assert "Win rate" in html and "成約率" not in html


def test_sparkline_skips_nulls_and_draws_the_target() -> None:
    svg = render.sparkline_svg([1.0, None, 3.0], [2.0, 2.0, 2.0])
    assert 'data-ck-points="2"' in svg
    assert svg.count("<polyline") == 2
    assert "http" not in svg


def test_raw_value_is_stable() -> None:
    assert render.raw_value(dt.date(2026, 10, 1)) == "2026-10-01"
    assert render.raw_value(pd.Timestamp("2026-10-01")) == "2026-10-01"
    assert render.raw_value(0.1) == "0.1"
    assert render.raw_value(None) == ""
