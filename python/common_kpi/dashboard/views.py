"""The dashboard's pages. Each one reads the marts through `queries` and renders them.

Figures are rendered as HTML with `data-ck-*` markers (see `render`), charts with Altair.
Query results are cached for a short while, keyed by the published file's modification
time, so a new build shows up at the next rerun and no connection stays open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from common_kpi.dashboard import queries, render
from common_kpi.dashboard.i18n import Lang, pick, t
from common_kpi.dashboard.render import Column
from common_kpi.dashboard.warehouse import TableMissing, Warehouse

CACHE_SECONDS = 60


@dataclass(frozen=True)
class PageContext:
    warehouse: Warehouse
    lang: Lang


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached(function_name: str, path: str, modified: float, *args: Any) -> Any:
    """Run `queries.<function_name>` on the warehouse at `path` (cache key: path + mtime)."""
    function = getattr(queries, function_name)
    return function(Warehouse(Path(path)), *args)


def load(context: PageContext, function_name: str, *args: Any) -> Any:
    path = context.warehouse.path
    return _cached(function_name, str(path), path.stat().st_mtime, *args)


def html(fragment: str) -> None:
    """Show an HTML fragment with the shared stylesheet."""
    st.html(f"<style>{render.BASE_CSS}</style>{fragment}")


def missing(context: PageContext, error: TableMissing) -> None:
    st.warning(t("table_missing", context.lang, table=error.table))


def month_picker(context: PageContext, months: list[dt.date], key: str) -> dt.date:
    """A month selector (latest complete month first) shared by the pages."""
    return st.selectbox(
        t("period", context.lang),
        months,
        key=key,
        format_func=lambda month: month.strftime("%Y-%m"),
    )


def latest_complete_first(context: PageContext, months: list[dt.date]) -> list[dt.date]:
    """Months ordered so that the latest complete month is the default choice."""
    period = load(context, "reporting_period")
    latest = pd.Timestamp(period["latest_complete_month_start_date"]).date()
    eligible = [month for month in months if month <= latest]
    return eligible + [month for month in months if month > latest]


def as_of_caption(context: PageContext) -> None:
    period = load(context, "reporting_period")
    as_of = pd.Timestamp(period["as_of_date"]).date().isoformat()
    st.caption(
        f'{t("as_of", context.lang)}: <span data-ck-field="as_of_date">{as_of}</span>', unsafe_allow_html=True
    )


# --- KPI tree -----------------------------------------------------------------------------


def tree_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_tree", lang))
    st.caption(t("tree_caption", lang))
    try:
        as_of_caption(context)
        months = latest_complete_first(context, load(context, "kpi_months"))
        month = month_picker(context, months, "tree_month")
        nodes = load(context, "kpi_tree", month)
    except TableMissing as error:
        missing(context, error)
        return
    if nodes.empty:
        st.info(t("no_rows", lang))
        return
    html(render.tree_html(nodes, lang))


# --- Funnel -------------------------------------------------------------------------------


def funnel_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_funnel", lang))
    try:
        months = latest_complete_first(context, load(context, "kpi_months"))
        options = load(context, "funnel_options")
    except TableMissing as error:
        missing(context, error)
        return
    left, middle, right = st.columns(3)
    with left:
        month = month_picker(context, months, "funnel_month")
        mode = st.radio(
            t("funnel_mode", lang),
            ("month", "cohort"),
            key="funnel_mode",
            format_func=lambda value: t(f"funnel_mode_{value}", lang),
        )
    all_label = t("all", lang)
    with middle:
        business_unit = st.selectbox(
            t("business_unit", lang), [all_label, *options["business_unit"]], key="funnel_bu"
        )
        channel = st.selectbox(t("channel", lang), [all_label, *options["channel"]], key="funnel_channel")
    with right:
        owner = st.selectbox(
            t("owner_user", lang), [all_label, *options["owner_user_id"]], key="funnel_owner"
        )
    selection = queries.FunnelFilter(
        month_start_date=month,
        mode=mode,
        business_unit=None if business_unit == all_label else business_unit,
        channel=None if channel == all_label else channel,
        owner_user_id=None if owner == all_label else owner,
    )
    frame = load(context, "funnel", selection)
    stage_labels = {stage: t(f"stage_{stage}", lang) for stage, _, _ in queries.FUNNEL_STAGES}
    chart_frame = frame.assign(stage_label=frame["stage"].map(stage_labels))
    chart = (
        alt.Chart(chart_frame)
        .mark_bar()
        .encode(
            x=alt.X("person_count:Q", title=t("count", lang)),
            y=alt.Y("stage_label:N", sort=list(chart_frame["stage_label"]), title=t("stage", lang)),
            tooltip=["stage_label", "person_count", "conversion_rate", "median_days_from_previous"],
        )
        .properties(height=220)
    )
    st.altair_chart(chart, use_container_width=True)
    html(
        render.table_html(
            "funnel",
            frame,
            [
                Column("stage", "stage"),
                Column("person_count", "count", "count"),
                Column("conversion_rate", "conversion_rate", "rate"),
                Column("median_days_from_previous", "median_days", "days"),
            ],
            lang,
            key="stage",
            labels={"stage": stage_labels},
        )
    )


# --- KPI trends ---------------------------------------------------------------------------


def kpi_label(definitions: pd.DataFrame, lang: Lang) -> dict[str, str]:
    return {row.kpi_id: pick(lang, row.name_ja, row.name_en) for row in definitions.itertuples(index=False)}


def trends_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_trends", lang))
    try:
        definitions = load(context, "kpi_definitions")
        monthly = load(context, "kpi_monthly")
    except TableMissing as error:
        missing(context, error)
        return
    labels = kpi_label(definitions, lang)
    kpi_ids = [kpi_id for kpi_id in definitions["kpi_id"] if kpi_id in set(monthly["kpi_id"])]
    kpi_id = st.selectbox(
        t("select_kpi", lang), kpi_ids, key="trend_kpi", format_func=lambda value: labels.get(value, value)
    )
    rows = monthly[monthly["kpi_id"] == kpi_id]
    st.caption(t("trend_caption", lang))
    long = rows.melt(id_vars=["month_start_date"], value_vars=["judged_actual", "target"], var_name="series")
    long["series"] = long["series"].map(
        {"judged_actual": t("judged_actual", lang), "target": t("target", lang)}
    )
    chart = (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(month_start_date):T", title=t("month", lang)),
            y=alt.Y("value:Q", title=labels.get(kpi_id, kpi_id)),
            color=alt.Color("series:N", title=None),
            strokeDash=alt.StrokeDash("series:N", legend=None),
        )
        .properties(height=300)
    )
    st.altair_chart(chart, use_container_width=True)
    html(
        render.table_html(
            "kpi_trend",
            rows.sort_values("month_start_date", ascending=False),
            [
                Column("month_start_date", "month", "month"),
                Column("actual", "actual", "unit"),
                Column("judged_actual", "judged_actual", "unit"),
                Column("target", "target", "unit"),
                Column("achievement_rate", "achievement", "rate"),
                Column("status", "status", "status"),
                Column("trailing_3_month_actual", "trailing_3m", "unit"),
            ],
            lang,
            key="month_start_date",
        )
    )
    st.subheader(t("fytd_vs_kgi", lang))
    fytd_vs_kgi(context, definitions, monthly)


def fytd_vs_kgi(context: PageContext, definitions: pd.DataFrame, monthly: pd.DataFrame) -> None:
    """Each KGI in the latest complete month: fiscal-year-to-date actual against its target."""
    lang = context.lang
    period = load(context, "reporting_period")
    latest = pd.Timestamp(period["latest_complete_month_start_date"])
    kgi_ids = set(definitions.loc[definitions["node_level"] == "kgi", "kpi_id"])
    rows = monthly[(monthly["kpi_id"].isin(kgi_ids)) & (monthly["month_start_date"] == latest)]
    labels = kpi_label(definitions, lang)
    html(
        render.table_html(
            "kgi_fytd",
            rows.assign(kpi_name=rows["kpi_id"].map(labels)),
            [
                Column("kpi_name", "kpi"),
                Column("fiscal_year", "fiscal_year"),
                Column("fytd_actual", "fytd", "unit"),
                Column("target", "target_to_date", "unit"),
                Column("target_value", "target_annual", "unit"),
                Column("achievement_rate", "achievement", "rate"),
                Column("status", "status", "status"),
            ],
            lang,
            key="kpi_id",
        )
    )


# --- Priorities and alerts ----------------------------------------------------------------


def priorities_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_priorities", lang))
    try:
        ranked = load(context, "priorities")
        current = load(context, "alerts")
    except TableMissing as error:
        missing(context, error)
        return
    st.subheader(t("priorities", lang))
    st.caption(t("priorities_caption", lang))
    html(
        render.table_html(
            "priorities", render.named(ranked, lang), render.PRIORITY_COLUMNS, lang, key="kpi_id"
        )
    )
    st.subheader(t("alerts", lang))
    if current.empty:
        st.success(t("no_alerts", lang))
        return
    html(render.table_html("alerts", render.named(current, lang), render.ALERT_COLUMNS, lang, key="kpi_id"))


# --- SLA ----------------------------------------------------------------------------------


def sla_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_sla", lang))
    try:
        months = latest_complete_first(context, load(context, "kpi_months"))
        month = month_picker(context, months, "sla_month")
        frame = load(context, "sla_by_rep", month)
    except TableMissing as error:
        missing(context, error)
        return
    if frame.empty:
        st.info(t("no_rows", lang))
        return
    frame = frame.assign(rep=frame["rep_user_id"].fillna(t("unassigned", lang)))
    chart = (
        alt.Chart(frame.dropna(subset=["sla_compliance_rate"]))
        .mark_bar()
        .encode(
            x=alt.X("sla_compliance_rate:Q", title=t("sla_rate", lang), axis=alt.Axis(format="%")),
            y=alt.Y("rep:N", sort="x", title=t("is_rep", lang)),
        )
    )
    st.altair_chart(chart, use_container_width=True)
    html(
        render.table_html(
            "sla_by_rep",
            frame,
            [
                Column("rep", "is_rep"),
                Column("due_count", "sla_due", "count"),
                Column("met_count", "sla_met", "count"),
                Column("sla_compliance_rate", "sla_rate", "rate"),
                Column("median_business_hours", "sla_median_hours", "number"),
            ],
            lang,
            key="rep",
        )
    )


# --- ABM ----------------------------------------------------------------------------------


ABM_COLUMNS = (
    Column("tier_name", "tier"),
    Column("account_count", "accounts", "count"),
    Column("new_account_count", "abm_new_accounts", "count"),
    Column("moved_up_account_count", "abm_moved_up", "count"),
    Column("moved_down_account_count", "abm_moved_down", "count"),
    Column("average_total_score", "abm_average_score", "number"),
    Column("mql_count", "stage_mql", "count"),
    Column("mql_to_opportunity_rate", "abm_mql_to_opportunity_rate", "rate"),
    Column("win_rate", "abm_win_rate", "rate"),
    Column("open_pipeline_amount_jpy", "abm_open_pipeline", "jpy"),
    Column("won_amount_jpy", "abm_won_amount", "jpy"),
    Column("renewal_rate", "abm_renewal_rate", "rate"),
)


def abm_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_abm", lang))
    if load(context, "abm_tiers") is None:
        st.info(t("abm_not_built", lang))
        return
    st.caption(t("abm_caption", lang))
    month = month_picker(context, load(context, "abm_months"), "abm_month")
    frame = load(context, "abm_tiers", month)
    frame = frame.assign(
        tier_name=[
            pick(lang, ja, en) for ja, en in zip(frame["tier_label_ja"], frame["tier_label_en"], strict=True)
        ]
    )
    html(render.table_html("abm_tiers", frame, ABM_COLUMNS, lang, key="tier_code"))
