"""The one label and format module (`common_kpi.labels`): words, marks, yen in 億 / 万,
rates, points, the judged period, and the meeting's order of priorities. Fast: no warehouse."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest

from common_kpi import PROJECT_DIR, labels


@pytest.mark.parametrize(
    ("status", "ja", "en", "mark"),
    [
        ("achieved", "達成", "Achieved", "◎"),
        ("at_risk", "注意", "At risk", "△"),
        ("missed", "未達", "Missed", "×"),
        ("immature", "集計途中", "In progress", "…"),
        ("no_data", "データなし", "No data", "－"),
        (None, "データなし", "No data", "－"),
    ],
)
def test_one_word_and_one_mark_per_status(status: str | None, ja: str, en: str, mark: str) -> None:
    assert labels.status_label(status, "ja") == ja
    assert labels.status_label(status, "en") == en
    assert labels.status_text(status, "ja") == f"{mark} {ja}"
    assert labels.status_colour(status).startswith("#")


def test_every_status_has_every_language_and_a_distinct_word() -> None:
    for language in labels.LANGUAGES:
        words = [labels.status_label(status, language) for status in labels.DISPLAY_STATUSES]
        assert len(set(words)) == len(words), language
    assert len(set(labels.STATUS_MARKS.values())) == len(labels.DISPLAY_STATUSES)
    assert labels.status_label("no_target", "ja") == "目標なし"


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        # 563,083,661 yen = 5.63083661 x 10^8 → 3 significant digits → 5.63億円
        (563_083_661, "ja", "5.63億円"),
        (563_083_661, "en", "¥563M"),
        # 1,000,000,000 = 10億 exactly
        (1_000_000_000, "ja", "10億円"),
        # 41,020,000 = 4102.0万 → 4 integer digits, no decimals
        (41_020_000, "ja", "4102万円"),
        # 45,000 = 4.5万 (3 significant digits: 4.50, trailing zero dropped)
        (45_000, "ja", "4.5万円"),
        # below 1万円: whole yen with separators
        (9_800, "ja", "9,800円"),
        (9_800, "en", "¥9,800"),
        (-5_630_000, "ja", "-563万円"),
        (-5_630_000, "en", "-¥5.63M"),
        (0, "ja", "0円"),
        (None, "ja", "—"),
        (float("nan"), "en", "—"),
    ],
)
def test_yen_in_oku_and_man(value: object, lang: labels.Lang, shown: str) -> None:
    assert labels.format_yen(value, lang) == shown


def test_yen_in_full_when_asked() -> None:
    assert labels.format_yen(563_083_661.4, "ja", compact=False) == "563,083,661円"
    assert labels.format_value(563_083_661.4, "jpy_full", "en") == "¥563,083,661"


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (0.2345, "rate", "23.4%"),
        (-0.05, "points", "-5.0pt"),
        (0.017, "points", "+1.7pt"),
        (1234.0, "count", "1,234"),
        (33.21, "number", "33.2"),
        (pd.Timestamp("2026-10-01"), "month", "2026-10"),
        (dt.date(2026, 7, 1), "month", "2026-07"),
        ("missed", "status", "未達"),
        ("warn", "severity", "警告"),
        ("error", "severity", "重大"),
        (None, "rate", "—"),
    ],
)
def test_format_value(value: object, kind: str, shown: str) -> None:
    assert labels.format_value(value, kind, "ja") == shown


@pytest.mark.parametrize(
    ("gap", "unit", "shown"),
    [
        (-0.05, "rate", "-5.0pt"),  # a rate gap is in points, never in %
        (-20_000_000, "jpy", "-2000万円"),
        (12.0, "count", "+12"),
        (-7.3, "score", "-7.3"),
    ],
)
def test_gap_in_the_unit_of_the_kpi(gap: float, unit: str, shown: str) -> None:
    assert labels.format_gap(gap, unit, "ja") == shown


def test_department_and_vocabularies() -> None:
    names = {"sales": ("営業", "Sales"), "cs": ("CS", "Customer success")}
    assert labels.department_label("sales,cs", names, "ja") == "営業・CS"
    assert labels.department_label("sales,cs", names, "en") == "Sales・Customer success"
    assert labels.department_label("unknown", names, "ja") == "unknown"
    assert labels.judged_period_label("fiscal_year", "ja") == "年度累計"
    assert labels.impact_method_label("not_quantified", "ja") == "金額換算なし"
    assert labels.level_label("KSF", "en") == "KSF"


def test_ksf_summary() -> None:
    assert labels.ksf_summary(2, 4, "ja") == "KPI達成 2/4"
    assert labels.ksf_summary(2, 4, "en") == "2 of 4 KPIs achieved"
    assert labels.ksf_summary(None, 0, "ja") == "—"


def test_judged_note_says_the_period_and_the_pro_rating() -> None:
    # アップセル率: annual target 15 % judged fiscal year to date in October = 7 months of 12:
    # 0.15 x 7 / 12 = 0.0875 → 8.8 %.
    note = labels.judged_note(
        judged_period="fiscal_year",
        evaluated_month=dt.date(2026, 10, 1),
        period_month=dt.date(2026, 10, 1),
        target=0.0875,
        target_value=0.15,
        judged_month_count=7,
        unit="rate",
        lang="ja",
    )
    assert note == "判定 2026-10 年度累計・目標 15.0% × 7/12 = 8.8% (按分)"
    # 商談化率 in October is judged on the July cohort, the latest mature one.
    cohort = labels.judged_note(
        judged_period="month",
        evaluated_month=dt.date(2026, 7, 1),
        period_month=dt.date(2026, 10, 1),
        target=0.3,
        target_value=0.3,
        judged_month_count=1,
        unit="rate",
        lang="en",
    )
    assert cohort == "judged on 2026-07 (month); latest mature month"
    assert labels.judged_note(judged_period="month", evaluated_month=None, lang="ja") == "判定できる月なし"
    # A KPI with a definition choice says which one first (継続率 by customer).
    retention = labels.judged_note(
        judged_period="month", evaluated_month=dt.date(2026, 9, 1), basis="顧客数ベース", lang="ja"
    )
    assert retention == "顧客数ベース・判定 2026-09 月次"


def _priority(
    kpi: str, status: str, impact: float | None, achievement: float, rank: int
) -> dict[str, object]:
    method = "not_quantified" if impact is None else "funnel_multiplicative"
    return {
        "kpi_id": kpi,
        "status": status,
        "annual_revenue_impact_jpy": impact,
        "achievement_rate": achievement,
        "priority_rank": rank,
        "impact_method": method,
    }


def test_meeting_order_puts_every_miss_before_any_achieved_kpi() -> None:
    # The mart ranks by yen: achieved KPIs (0 yen) come before the unpriced SLA / NPS misses.
    mart = [
        _priority("mql_to_opportunity_rate", "missed", 41e6, 0.83, 1),
        _priority("retention_rate", "at_risk", 20e6, 0.98, 2),
        _priority("win_rate", "achieved", 0.0, 1.10, 3),
        _priority("cross_sell_rate", "missed", 19e6, 0.71, 4),
        _priority("monthly_mql_count", "achieved", 0.0, 1.26, 5),
        _priority("nps", "missed", None, 0.82, 6),
        _priority("lead_handoff_sla_rate", "missed", None, 0.69, 7),
        _priority("upsell_rate", "immature", None, float("nan"), 8),
    ]
    ordered = labels.meeting_order(mart)
    assert [row["kpi_id"] for row in ordered] == [
        "mql_to_opportunity_rate",  # priced misses by yen: 41M > 20M > 19M
        "retention_rate",
        "cross_sell_rate",
        "lead_handoff_sla_rate",  # unpriced misses by achievement: 0.69 < 0.82
        "nps",
        "win_rate",  # then the rest in the mart's order: ranks 3, 5, 8
        "monthly_mql_count",
        "upsell_rate",
    ]
    assert [row["meeting_rank"] for row in ordered] == list(range(1, 9))
    assert labels.impact_note("not_quantified", None, "missed", "ja") == labels.UNPRICED_REASON["ja"]
    assert labels.impact_note("funnel_multiplicative", 0.0, "achieved", "en") == "on target: no gap"
    assert labels.impact_note("funnel_multiplicative", 41e6, "missed", "en") == ""


def test_is_null() -> None:
    assert labels.is_null(None) and labels.is_null(float("nan")) and labels.is_null(pd.NaT)
    assert not labels.is_null(0) and not labels.is_null("") and not math.isnan(0.0)


# Words and formats that belong to this module only: another copy in the package drifts.
FORBIDDEN_ELSEWHERE = [
    re.compile(r"要注意"),
    re.compile(r"未成熟"),
    re.compile(r"[\"']¥\{"),  # a hand-made yen format
    re.compile(r"\{[^}]*:,\.0f\}"),  # a hand-made thousands format of a figure
    re.compile(r"\{[^}]*:\.1%\}"),  # a hand-made percentage
    re.compile(r"\*\s*100:[+]?\.1f\}(pt|%)"),  # a hand-made point / percent gap
]


# The modules that show KPI figures and statuses to business users (CLI tree, alerts and
# their Slack message, dashboard, pack, docs generated from kpi_tree.yml).
PRESENTATION_MODULES = [
    "tree.py",
    "alerts.py",
    "pack.py",
    "docs.py",
    "kpi_config.py",
    *(f"dashboard/{path.name}" for path in (PROJECT_DIR / "python/common_kpi/dashboard").glob("*.py")),
]


def test_no_second_copy_of_a_label_or_format_in_the_package() -> None:
    package = PROJECT_DIR / "python" / "common_kpi"
    offenders = []
    for name in PRESENTATION_MODULES:
        text = (package / name).read_text(encoding="utf-8")
        for pattern in FORBIDDEN_ELSEWHERE:
            if pattern.search(text):
                offenders.append(f"{name}: {pattern.pattern}")
    assert offenders == []


def test_source_gap_note_says_the_other_source_and_the_gap() -> None:
    """Contract revenue ¥563,083,861 judged, P&L ¥564,494,860: gap -¥1,410,999 = -0.25 %."""
    note = labels.source_gap_note("P&L売上高", 564_494_860, -1_410_999, -1_410_999 / 564_494_860)
    assert note == "P&L売上高 5.64億円・差 -141万円 (-0.25%)"
    english = labels.source_gap_note("P&L revenue", 564_494_860, -1_410_999, -0.0025, lang="en")
    assert english == "P&L revenue ¥564M, gap -¥1.41M (-0.25%)"
    # the P&L month not closed yet: nothing to show beside the value
    assert labels.source_gap_note("P&L売上高", None, None, None) == ""


def test_other_source_note_only_for_the_revenue_kgi_row() -> None:
    row = {
        "other_source_basis": "pl_revenue",
        "other_source_judged_actual": 564_494_860,
        "source_gap_jpy": -1_410_999,
        "source_gap_rate": -1_410_999 / 564_494_860,
    }
    assert labels.other_source_note(row) == "P&L売上高 5.64億円・差 -141万円 (-0.25%)"
    assert labels.other_source_note(row, "en") == "P&L revenue ¥564M, gap -¥1.41M (-0.25%)"
    assert labels.other_source_note({"other_source_basis": None}) == ""
