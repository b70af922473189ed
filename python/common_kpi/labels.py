"""Every status word, label and number format shown to a person, written once.

The CLI tree (`common-kpi tree`), the alerts and their Slack message, the dashboard, the
monthly pack and the docs import these functions; none of them formats a KPI figure or
names a status on its own, so the same KPI reads the same everywhere (注意, never 要注意
on one screen and 注意 on another; `-5.0pt` for a rate gap everywhere).

- Statuses: one mark and one word per status in Japanese and English (`status_text`).
- Departments, severities, judged periods, impact methods, node levels: Japanese / English.
- Numbers as a Japanese reader reads them, through Babel: yen in 億 / 万 (`5.63億円`),
  rates as percentages (`23.4%`), rate gaps in points (`-5.0pt`), counts with separators.
- The judged period and the pro-rating of a target, in words (`judged_note`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Final, Literal

import pandas as pd
from babel.numbers import format_compact_decimal, format_decimal

Lang = Literal["ja", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = ("ja", "en")
DEFAULT_LANG: Final[Lang] = "ja"
BABEL_LOCALES: Final[dict[Lang, str]] = {"ja": "ja_JP", "en": "en_US"}

NULL_TEXT: Final[str] = "—"
"""How a missing value is shown (a dash, never `n/a`, `None` or `nan`)."""

# --- statuses -------------------------------------------------------------------------------

STATUSES: Final[tuple[str, ...]] = ("achieved", "at_risk", "missed", "immature", "no_data")
"""The statuses the KPI marts give."""
DISPLAY_STATUSES: Final[tuple[str, ...]] = (*STATUSES, "no_target")
"""Plus `no_target`, which screens show for a month that has an actual but no target (a
fiscal year kpi_tree.yml sets no target for), so that it is not read as a month without data."""
STATUS_WORDS: Final[dict[str, dict[Lang, str]]] = {
    "achieved": {"ja": "達成", "en": "Achieved"},
    "at_risk": {"ja": "注意", "en": "At risk"},
    "missed": {"ja": "未達", "en": "Missed"},
    "immature": {"ja": "集計途中", "en": "In progress"},
    "no_data": {"ja": "データなし", "en": "No data"},
    "no_target": {"ja": "目標なし", "en": "No target"},
}
STATUS_MARKS: Final[dict[str, str]] = {
    "achieved": "◎",
    "at_risk": "△",
    "missed": "×",
    "immature": "…",
    "no_data": "－",
    "no_target": "／",
}
STATUS_COLOURS: Final[dict[str, str]] = {
    "achieved": "#1b7f3b",
    "at_risk": "#b7791f",
    "missed": "#c53030",
    "immature": "#4a5568",
    "no_data": "#a0aec0",
    "no_target": "#718096",
}
ATTENTION_STATUSES: Final[tuple[str, ...]] = ("missed", "at_risk")
"""Statuses the meeting discusses first (priorities, alerts)."""


def _status(status: str | None) -> str:
    if status is None or (isinstance(status, float) and math.isnan(status)):
        return "no_data"
    return str(status)


def status_label(status: str | None, lang: Lang = DEFAULT_LANG) -> str:
    """The one word for a status (a null status is no data); an unknown status as it is."""
    key = _status(status)
    return STATUS_WORDS[key][lang] if key in STATUS_WORDS else key


def status_mark(status: str | None) -> str:
    return STATUS_MARKS.get(_status(status), "?")


def status_text(status: str | None, lang: Lang = DEFAULT_LANG) -> str:
    """Mark and word: `△ 注意`."""
    return f"{status_mark(status)} {status_label(status, lang)}"


def status_colour(status: str | None) -> str:
    return STATUS_COLOURS.get(_status(status), STATUS_COLOURS["no_data"])


def status_legend(lang: Lang = DEFAULT_LANG) -> str:
    return "  ".join(status_text(status, lang) for status in STATUSES)


# --- other vocabularies ---------------------------------------------------------------------

LEVEL_LABELS: Final[dict[str, dict[Lang, str]]] = {
    "kgi": {"ja": "KGI", "en": "KGI"},
    "ksf": {"ja": "KSF", "en": "KSF"},
    "kpi": {"ja": "KPI", "en": "KPI"},
}
SEVERITY_LABELS: Final[dict[str, dict[Lang, str]]] = {
    "error": {"ja": "重大", "en": "Critical"},
    "warn": {"ja": "警告", "en": "Warning"},
}
JUDGED_PERIOD_LABELS: Final[dict[str, dict[Lang, str]]] = {
    "month": {"ja": "月次", "en": "month"},
    "fiscal_quarter": {"ja": "四半期累計", "en": "quarter to date"},
    "fiscal_year": {"ja": "年度累計", "en": "fiscal year to date"},
}
IMPACT_METHOD_LABELS: Final[dict[str, dict[Lang, str]]] = {
    "funnel_multiplicative": {"ja": "ファネル", "en": "funnel"},
    "retained_revenue": {"ja": "継続売上", "en": "retained revenue"},
    "expansion_revenue": {"ja": "拡大売上", "en": "expansion revenue"},
    "not_quantified": {"ja": "金額換算なし", "en": "not priced"},
}
UNPRICED_REASON: Final[dict[Lang, str]] = {
    "ja": "売上への直接の換算式がない(達成率の低い順)",
    "en": "no direct revenue formula (ranked by achievement)",
}


def _lookup(table: Mapping[str, Mapping[Lang, str]], key: object, lang: Lang) -> str:
    if key is None or (isinstance(key, float) and math.isnan(key)):
        return NULL_TEXT
    entry = table.get(str(key))
    return entry[lang] if entry else str(key)


def level_label(level: str | None, lang: Lang = DEFAULT_LANG) -> str:
    return _lookup(LEVEL_LABELS, (level or "").lower(), lang)


def severity_label(severity: str | None, lang: Lang = DEFAULT_LANG) -> str:
    return _lookup(SEVERITY_LABELS, severity, lang)


def judged_period_label(judged_period: str | None, lang: Lang = DEFAULT_LANG) -> str:
    return _lookup(JUDGED_PERIOD_LABELS, judged_period, lang)


def impact_method_label(method: str | None, lang: Lang = DEFAULT_LANG) -> str:
    return _lookup(IMPACT_METHOD_LABELS, method, lang)


def pick(lang: Lang, ja: object, en: object) -> str:
    """A name from columns `_ja` / `_en`, falling back to the other language."""

    def text(value: object) -> str:
        return "" if is_null(value) else str(value)

    first, second = (text(ja), text(en)) if lang == "ja" else (text(en), text(ja))
    return first or second


def department_label(codes: object, names: Mapping[str, tuple[str, str]], lang: Lang = DEFAULT_LANG) -> str:
    """Owner department codes (`sales,cs`) as names in `lang` (`営業・CS`), from the
    `departments` seed as (Japanese, English) by code; an unknown code is shown as it is."""
    parts = [code.strip() for code in str(codes or "").split(",") if code.strip()]
    return "・".join(pick(lang, *names.get(code, (code, code))) for code in parts)


# --- numbers --------------------------------------------------------------------------------


def is_null(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value))  # numpy / pandas scalars
    except (TypeError, ValueError):
        return False


def _number(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def format_count(value: object, lang: Lang = DEFAULT_LANG) -> str:
    """`1,234` (whole number with separators)."""
    if is_null(value):
        return NULL_TEXT
    return format_decimal(round(_number(value)), format="#,##0", locale=BABEL_LOCALES[lang])


def format_number(value: object, lang: Lang = DEFAULT_LANG, digits: int = 1) -> str:
    """`33.2` (a score or hours, `digits` decimals)."""
    if is_null(value):
        return NULL_TEXT
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(_number(value), format=pattern, locale=BABEL_LOCALES[lang])


def format_rate(value: object, lang: Lang = DEFAULT_LANG, digits: int = 1) -> str:
    """A ratio in 0..1 as a percentage: 0.2345 → `23.4%`."""
    if is_null(value):
        return NULL_TEXT
    return f"{_number(value) * 100:.{digits}f}%"


def format_points(value: object, lang: Lang = DEFAULT_LANG, digits: int = 1) -> str:
    """A difference of two rates in percentage points, signed: -0.05 → `-5.0pt`."""
    if is_null(value):
        return NULL_TEXT
    return f"{_number(value) * 100:+.{digits}f}pt"


COMPACT_FROM_YEN: Final[float] = 10_000
"""Yen from this size on are written compactly (万 / 億 / 兆; K / M / B in English)."""
SIGNIFICANT_DIGITS: Final[int] = 3


def format_yen(value: object, lang: Lang = DEFAULT_LANG, compact: bool = True) -> str:
    """Yen as a Japanese reader reads them: 563,083,661 → `5.63億円` (ja) / `¥563M` (en).

    Compact from 1万円 on, with three significant digits (Babel's CLDR short decimal
    format: 万, 億, 兆 in Japanese); below that, or with `compact=False`, whole yen with
    separators (`9,800円`, `¥9,800`).
    """
    if is_null(value):
        return NULL_TEXT
    amount = _number(value)
    locale = BABEL_LOCALES[lang]
    if compact and abs(amount) >= COMPACT_FROM_YEN:
        whole = format_compact_decimal(amount, format_type="short", locale=locale, fraction_digits=0)
        integer_digits = len(re.sub(r"\D", "", whole))
        fraction_digits = max(0, SIGNIFICANT_DIGITS - integer_digits)
        text = format_compact_decimal(
            amount, format_type="short", locale=locale, fraction_digits=fraction_digits
        )
    else:
        text = format_decimal(round(amount), format="#,##0", locale=locale)
    if lang == "ja":
        return f"{text}円"
    return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"


def yen_axis_expression(lang: Lang = DEFAULT_LANG) -> str:
    """A Vega label expression for a chart's yen axis, the same reading as `format_yen`
    (億 / 万円 in Japanese; ¥ with K / M / B in English), for Altair's `labelExpr`."""
    if lang == "ja":
        return (
            "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '.3~g') + '億円' : "
            "abs(datum.value) >= 1e4 ? format(datum.value / 1e4, ',.4~g') + '万円' : "
            "format(datum.value, ',') + '円'"
        )
    return "'¥' + replace(format(datum.value, '.3~s'), 'G', 'B')"


def format_signed_yen(value: object, lang: Lang = DEFAULT_LANG) -> str:
    if is_null(value):
        return NULL_TEXT
    amount = _number(value)
    return ("+" if amount >= 0 else "-") + format_yen(abs(amount), lang)


FLAG_WORDS: Final[dict[bool, dict[Lang, str]]] = {
    True: {"ja": "○", "en": "yes"},
    False: {"ja": "－", "en": "no"},
}

UNIT_KINDS: Final[dict[str, str]] = {
    "count": "count",
    "rate": "rate",
    "ratio": "rate",
    "percent": "rate",
    "jpy": "jpy",
    "yen": "jpy",
    "score": "number",
    "hours": "number",
    "days": "days",
}


def unit_kind(unit: object) -> str:
    """The format kind of a KPI unit from kpi_tree.yml (count, rate, jpy, number, days)."""
    return UNIT_KINDS.get(str(unit or "").lower(), "number")


def format_value(value: object, kind: str, lang: Lang = DEFAULT_LANG) -> str:
    """A value of a format kind: count, rate, points, jpy, jpy_full, number, days, month,
    date, datetime, flag, status, severity; anything else as text."""
    if is_null(value):
        return NULL_TEXT
    if kind == "rate":
        return format_rate(value, lang)
    if kind == "points":
        return format_points(value, lang)
    if kind == "count":
        return format_count(value, lang)
    if kind == "jpy":
        return format_yen(value, lang)
    if kind == "jpy_full":
        return format_yen(value, lang, compact=False)
    if kind in {"number", "days"}:
        return format_number(value, lang)
    if kind == "month":
        return format_month(value)
    if kind == "datetime":
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
    if kind == "flag":
        return FLAG_WORDS[bool(value)][lang]
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]
    if kind == "status":
        return status_label(str(value), lang)
    if kind == "severity":
        return severity_label(str(value), lang)
    return str(value)


def format_kpi_value(value: object, unit: object, lang: Lang = DEFAULT_LANG) -> str:
    """A KPI's actual or target in its own unit."""
    return format_value(value, unit_kind(unit), lang)


def format_gap(gap: object, unit: object, lang: Lang = DEFAULT_LANG) -> str:
    """A gap to target: points for a rate (`-5.0pt`), signed yen or count otherwise."""
    if is_null(gap):
        return NULL_TEXT
    kind = unit_kind(unit)
    if kind == "rate":
        return format_points(gap, lang)
    if kind == "jpy":
        return format_signed_yen(gap, lang)
    amount = _number(gap)
    return ("+" if amount >= 0 else "-") + format_value(abs(amount), kind, lang)


def source_gap_note(
    other_source_label: object,
    other_actual: object,
    gap_jpy: object,
    gap_rate: object,
    lang: Lang = DEFAULT_LANG,
) -> str:
    """The revenue KGI's other source beside its value, and how far the chosen one is from it:
    `P&L売上高 5.64億円・差 -141万円 (-0.25%)`; empty when the other source has no value yet
    (the P&L month not closed)."""
    if is_null(other_source_label) or is_null(other_actual):
        return ""
    gap = "" if is_null(gap_jpy) else format_signed_yen(gap_jpy, lang)
    rate = "" if is_null(gap_rate) else f" ({_number(gap_rate) * 100:+.2f}%)"
    value = format_yen(other_actual, lang)
    if lang == "ja":
        return f"{other_source_label} {value}" + (f"・差 {gap}{rate}" if gap else "")
    return f"{other_source_label} {value}" + (f", gap {gap}{rate}" if gap else "")


def other_source_note(row: Mapping[str, object], lang: Lang = DEFAULT_LANG) -> str:
    """`source_gap_note` for a kpi_tree row: the revenue KGI's other source (its basis label),
    its value and the gap; empty for every other node."""
    from common_kpi.kpi_config import BASES

    other = BASES.get(str(row.get("other_source_basis")))
    if other is None:
        return ""
    return source_gap_note(
        other.label_ja if lang == "ja" else other.label_en,
        row.get("other_source_judged_actual"),
        row.get("source_gap_jpy"),
        row.get("source_gap_rate"),
        lang,
    )


def format_month(value: object) -> str:
    if is_null(value):
        return NULL_TEXT
    return pd.Timestamp(value).strftime("%Y-%m")  # type: ignore[arg-type]


# --- sentences ------------------------------------------------------------------------------


def ksf_summary(achieved: object, judged: object, lang: Lang = DEFAULT_LANG) -> str:
    """A KSF's roll-up: `KPI達成 2/4` / `2 of 4 KPIs achieved`; no judged KPI yet → dash."""
    if is_null(judged) or not int(_number(judged)):
        return NULL_TEXT
    done, total = int(_number(achieved or 0)), int(_number(judged))
    return f"KPI達成 {done}/{total}" if lang == "ja" else f"{done} of {total} KPIs achieved"


def judged_note(
    *,
    judged_period: object,
    evaluated_month: object,
    period_month: object = None,
    target: object = None,
    target_value: object = None,
    judged_month_count: object = None,
    unit: object = None,
    basis: object = None,
    lang: Lang = DEFAULT_LANG,
) -> str:
    """What a value is judged on, in words, for beside the value.

    `basis` is the KPI's definition choice as a label (kpi_tree's basis_label_ja / _en, e.g.
    顧客数ベース for 継続率), written first when the KPI has one.

    `判定 2026-07 月次`; a cohort or renewal KPI judged on an earlier month than the period
    shown says so (`判定 2026-07 月次・最新の成熟月`); a target pro-rated
    over the months elapsed says from what (`年度累計 7か月: 目標 年15.0% × 7/12 = 8.8%`).
    """
    if is_null(evaluated_month):
        return "判定できる月なし" if lang == "ja" else "no month to judge yet"
    period_word = judged_period_label(str(judged_period) if not is_null(judged_period) else None, lang)
    evaluated = format_month(evaluated_month)
    if period_word == NULL_TEXT:
        parts = [f"判定 {evaluated}" if lang == "ja" else f"judged on {evaluated}"]
    else:
        parts = [
            f"判定 {evaluated} {period_word}" if lang == "ja" else f"judged on {evaluated} ({period_word})"
        ]
    if not is_null(period_month) and format_month(period_month) != evaluated:
        parts.append("最新の成熟月" if lang == "ja" else "latest mature month")
    if (
        str(judged_period) in {"fiscal_year", "fiscal_quarter"}
        and not is_null(target_value)
        and not is_null(target)
        and not is_null(judged_month_count)
        and not math.isclose(_number(target), _number(target_value))
    ):
        months = int(_number(judged_month_count))
        period_months = 12 if str(judged_period) == "fiscal_year" else 3
        full = format_kpi_value(target_value, unit, lang)
        prorated = format_kpi_value(target, unit, lang)
        parts.append(
            f"目標 {full} × {months}/{period_months} = {prorated} (按分)"
            if lang == "ja"
            else f"target {full} × {months}/{period_months} = {prorated} (pro-rated)"
        )
    if not is_null(basis) and str(basis):
        parts.insert(0, str(basis))
    return "・".join(parts) if lang == "ja" else "; ".join(parts)


# --- the meeting's order of priorities ------------------------------------------------------


def meeting_order(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """kpi_priorities rows in the order the meeting discusses them, each with `meeting_rank`
    (1..n) and `impact_note` (why a gap has no price, else empty).

    1. missed and at-risk KPIs whose gap is priced, largest yearly revenue impact first;
    2. missed and at-risk KPIs that cannot be priced (SLA, NPS), lowest achievement first:
       still above every achieved KPI;
    3. everything else (in progress, no data, achieved) in the mart's priority_rank order.
    The mart's own priority_rank is kept beside it.
    """

    def key(row: dict[str, object]) -> tuple[int, float, float]:
        attention = _status(row.get("status")) in ATTENTION_STATUSES  # type: ignore[arg-type]
        impact = row.get("annual_revenue_impact_jpy")
        rank = _number(row.get("priority_rank") or 0)
        if attention and not is_null(impact) and _number(impact) > 0:
            return (0, -_number(impact), rank)
        if attention:
            achievement = row.get("achievement_rate")
            return (1, _number(achievement) if not is_null(achievement) else -math.inf, rank)
        return (2, rank, 0.0)

    ordered = sorted(rows, key=key)
    for position, row in enumerate(ordered, start=1):
        row["meeting_rank"] = position
    return ordered


def impact_note(method: object, impact: object, status: object, lang: Lang = DEFAULT_LANG) -> str:
    """Why a priority shows no yen: not priceable (with the reason), or on target."""
    if str(method) == "not_quantified" or (is_null(impact) and not is_null(method)):
        return UNPRICED_REASON[lang]
    if _status(status) == "achieved":  # type: ignore[arg-type]
        return "目標達成のため差なし" if lang == "ja" else "on target: no gap"
    return ""
