"""The dashboard's pages. Each one reads the marts through `queries` and renders them.

Figures are rendered as HTML with `data-ck-*` markers (see `render`), charts with Altair.
Query results are cached for a short while, keyed by the published file's modification
time, so a new build shows up at the next rerun and no connection stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from common_kpi import labels
from common_kpi.dashboard import queries, render
from common_kpi.dashboard.customer_records import value_kind
from common_kpi.dashboard.i18n import Lang, pick, t
from common_kpi.dashboard.render import Column
from common_kpi.warehouse import TableMissing, Warehouse

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
        format_func=labels.format_month,
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


def table(
    context: PageContext,
    name: str,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    key: str,
    value_labels: dict[str, dict[object, str]] | None = None,
    links: dict[str, dict[object, str]] | None = None,
) -> None:
    """A table with its CSV download (the screen's headers and cells)."""
    html(render.table_html(name, frame, columns, context.lang, key=key, labels=value_labels, links=links))
    st.download_button(
        t("download_csv", context.lang),
        render.csv_bytes(frame, columns, context.lang, value_labels),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
    )


def status_colour_scale(lang: Lang) -> alt.Scale:
    """Altair colours of the statuses, as on the tree."""
    return alt.Scale(
        domain=[labels.status_label(status, lang) for status in labels.DISPLAY_STATUSES],
        range=[labels.status_colour(status) for status in labels.DISPLAY_STATUSES],
    )


def query_param(name: str) -> str | None:
    value = st.query_params.get(name)
    return str(value) if value else None


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
    st.caption(t("tree_judged_caption", lang))
    html(render.tree_html(nodes, lang, drilldown=set(queries.DRILLDOWN_KPIS), month=month))
    st.subheader(t("achievement_by_department", lang))
    achievement_chart(context, nodes)


def achievement_chart(context: PageContext, nodes: pd.DataFrame) -> None:
    """Each KPI's achievement, grouped by owner department, coloured by status."""
    lang = context.lang
    names = load(context, "department_labels")
    kpis = nodes[(nodes["node_level"] == "kpi") & nodes["achievement_rate"].notna()]
    rows = [
        {
            "department": labels.department_label(code, names, lang),
            "kpi": pick(lang, kpi["name_ja"], kpi["name_en"]),
            "achievement": float(kpi["achievement_rate"]),
            "status": labels.status_label(kpi["status"], lang),
        }
        for _, kpi in kpis.iterrows()
        for code in str(kpi["owner_department"]).split(",")
    ]
    if not rows:
        return
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X("achievement:Q", title=t("achievement", lang), axis=alt.Axis(format="%")),
            y=alt.Y("kpi:N", title=None, sort=None),
            row=alt.Row("department:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            color=alt.Color("status:N", title=t("status", lang), scale=status_colour_scale(lang)),
            tooltip=["department", "kpi", alt.Tooltip("achievement:Q", format=".1%"), "status"],
        )
        .properties(height=alt.Step(18), width=520)
        .resolve_scale(y="independent")
    )
    st.altair_chart(chart)


# --- Drill-down ---------------------------------------------------------------------------

RECORD_COLUMNS = (
    Column("salesforce_lead_ids", "salesforce_lead_ids"),
    Column("hubspot_contact_ids", "hubspot_contact_ids"),
    Column("opportunity_id", "opportunity_id"),
    Column("company_name", "company"),
    Column("owner_name", "owner_user"),
    Column("business_unit", "business_unit"),
    Column("channel", "channel"),
    Column("counted_at", "counted_at", "datetime"),
    Column("outcome_at", "outcome_at", "datetime"),
    Column("stage", "stage"),
    Column("is_counted_in_numerator", "in_numerator", "flag"),
    Column("record_id", "record_id"),
)


CUSTOMER_RECORD_COLUMNS = (
    Column("crm_customer_id", "crm_customer_id"),
    Column("company_name", "company"),
    Column("owner_name", "owner_user"),
    Column("business_unit", "business_unit"),
    Column("product_line", "product_line"),
    Column("contract_ids", "contract_ids"),
    Column("opportunity_ids", "opportunity_ids"),
    Column("counted_at", "counted_on", "date"),
    Column("outcome_at", "outcome_on", "date"),
    Column("amount_jpy", "amount", "jpy_full"),
    Column("score", "nps_score", "number"),
    Column("stage", "stage"),
    Column("numerator_value", "numerator_value", "number"),
    Column("denominator_value", "denominator_value", "number"),
    Column("record_id", "record_id"),
)
"""The customer-side record sets (customer_records.py); a column the set leaves empty on
every row is not shown."""


def records_table(context: PageContext, name: str, records: pd.DataFrame, values_kind: str = "count") -> None:
    """The records behind a figure, with record links when the base URLs are configured;
    `values_kind` formats a customer record set's numerator and denominator values."""
    lang = context.lang
    channel_names = {code: pick(lang, ja, en) for code, (ja, en) in load(context, "channel_labels").items()}
    stage_names = {stage: t(f"stage_{stage}", lang) for stage in render.RECORD_STAGES}
    if "numerator_value" in records.columns:
        columns: Sequence[Column] = [
            replace(column, kind=values_kind) if column.name.endswith("_value") else column
            for column in CUSTOMER_RECORD_COLUMNS
            if column.name == "record_id" or records[column.name].notna().any()
        ]
        html(render.record_totals_html(records, lang, values_kind))
    else:
        columns = RECORD_COLUMNS
        st.caption(t("records_count", lang, count=len(records)))
    table(
        context,
        name,
        records,
        columns,
        key="record_id",
        value_labels={"channel": channel_names, "stage": stage_names},
        links=render.record_links(records),
    )


def records_page(context: PageContext) -> None:
    """The records behind a KPI's value (its judged month), opened from the tree."""
    lang = context.lang
    st.title(t("page_records", lang))
    st.caption(t("records_caption", lang))
    try:
        definitions = load(context, "kpi_definitions")
        months = latest_complete_first(context, load(context, "kpi_months"))
    except TableMissing as error:
        missing(context, error)
        return
    names = kpi_label(definitions, lang)
    kpi_ids = [kpi_id for kpi_id in definitions["kpi_id"] if kpi_id in queries.DRILLDOWN_KPIS]
    requested_kpi = query_param("kpi")
    requested_month = query_param("month")
    month_options = list(months)
    if requested_month:
        asked = pd.Timestamp(requested_month).date().replace(day=1)
        month_options = [asked, *[m for m in months if m != asked]] if asked in months else months
    left, right = st.columns(2)
    with left:
        kpi_id = st.selectbox(
            t("select_kpi", lang),
            kpi_ids,
            index=kpi_ids.index(requested_kpi) if requested_kpi in kpi_ids else 0,
            key="records_kpi",
            format_func=lambda value: names.get(value, value),
        )
    with right:
        month = month_picker(context, month_options, "records_month")
    nodes = load(context, "kpi_tree", month)
    node = nodes[nodes["node_id"] == kpi_id]
    if node.empty or labels.is_null(node["evaluated_month_start_date"].iloc[0]):
        st.info(t("no_rows", lang))
        return
    row = node.iloc[0]
    evaluated = pd.Timestamp(row["evaluated_month_start_date"]).date()
    html(
        render.figure("actual", row["actual"], labels.unit_kind(row["unit"]), lang, "actual")
        + " "
        + render.judged_html(row, "kpi", lang)
    )
    records = load(context, "kpi_records", kpi_id, evaluated)
    kind = value_kind(kpi_id, load(context, "kpi_basis", kpi_id))
    records_table(context, f"records_{kpi_id}", records, kind)


# --- Funnel -------------------------------------------------------------------------------


def funnel_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_funnel", lang))
    try:
        months = latest_complete_first(context, load(context, "kpi_months"))
        options = load(context, "funnel_options")
        staff = load(context, "staff_names")
        channels = load(context, "channel_labels")
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
        channel = st.selectbox(
            t("channel", lang),
            [all_label, *options["channel"]],
            key="funnel_channel",
            format_func=lambda code: pick(lang, *channels.get(code, (code, code))),
        )
    with right:
        owners = sorted(options["owner_user_id"], key=lambda user: staff.get(user, user))
        owner = st.selectbox(
            t("owner_user", lang),
            [all_label, *owners],
            key="funnel_owner",
            format_func=lambda user: staff.get(user, user),
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
            x=alt.X("person_count:Q", title=t("count", lang), axis=alt.Axis(format=",d")),
            y=alt.Y("stage_label:N", sort=list(chart_frame["stage_label"]), title=t("stage", lang)),
            tooltip=[
                alt.Tooltip("stage_label:N", title=t("stage", lang)),
                alt.Tooltip("person_count:Q", title=t("count", lang), format=","),
                alt.Tooltip("conversion_rate:Q", title=t("conversion_rate", lang), format=".1%"),
                alt.Tooltip("median_days_from_previous:Q", title=t("median_days", lang), format=".1f"),
            ],
        )
        .properties(height=220)
    )
    st.altair_chart(chart, width="stretch")
    table(
        context,
        "funnel",
        frame,
        [
            Column("stage", "stage"),
            Column("person_count", "count", "count"),
            Column("conversion_rate", "conversion_rate", "rate"),
            Column("median_days_from_previous", "median_days", "days"),
        ],
        key="stage",
        value_labels={"stage": stage_labels},
    )
    st.subheader(t("funnel_records", lang))
    stage = st.selectbox(
        t("stage", lang),
        [stage for stage, _, _ in queries.FUNNEL_STAGES],
        key="funnel_records_stage",
        format_func=lambda value: stage_labels[value],
    )
    records_table(context, "funnel_records", load(context, "funnel_stage_records", selection, stage))


# --- KPI trends ---------------------------------------------------------------------------


def kpi_label(definitions: pd.DataFrame, lang: Lang) -> dict[str, str]:
    return {row.kpi_id: pick(lang, row.name_ja, row.name_en) for row in definitions.itertuples(index=False)}


def trend_status(row: pd.Series) -> str:
    """The status shown on the trend table: `no_target` where the month has an actual but
    no target (a month before the fiscal year kpi_tree.yml sets targets for), so that it is
    not confused with a month without data."""
    if row["status"] == "no_data" and labels.is_null(row["target"]) and not labels.is_null(row["actual"]):
        return "no_target"
    return str(row["status"])


def trends_page(context: PageContext) -> None:
    lang = context.lang
    st.title(t("page_trends", lang))
    try:
        definitions = load(context, "kpi_definitions")
        monthly = load(context, "kpi_monthly")
        period = load(context, "reporting_period")
    except TableMissing as error:
        missing(context, error)
        return
    names = kpi_label(definitions, lang)
    kpi_ids = [kpi_id for kpi_id in definitions["kpi_id"] if kpi_id in set(monthly["kpi_id"])]
    years = sorted({int(year) for year in monthly["fiscal_year"].dropna()}, reverse=True)
    current = int(period["current_fiscal_year"])
    left, right = st.columns(2)
    with left:
        kpi_id = st.selectbox(
            t("select_kpi", lang), kpi_ids, key="trend_kpi", format_func=lambda value: names.get(value, value)
        )
    with right:
        fiscal_year = st.selectbox(
            t("fiscal_year", lang),
            years,
            index=years.index(current) if current in years else 0,
            key="trend_fy",
            format_func=lambda year: t("fiscal_year_label", lang, year=year),
        )
    rows = queries.with_prior_year(monthly[monthly["kpi_id"] == kpi_id])
    shown = rows[rows["fiscal_year"] == fiscal_year].assign(
        status=lambda frame: [trend_status(row) for _, row in frame.iterrows()]
    )
    st.caption(t("trend_caption", lang))
    long = shown.melt(
        id_vars=["month_start_date"],
        value_vars=["judged_actual", "target", "prior_year_judged_actual"],
        var_name="series",
    )
    long["series"] = long["series"].map(
        {
            "judged_actual": t("judged_actual", lang),
            "target": t("target", lang),
            "prior_year_judged_actual": t("prior_year_same_month", lang),
        }
    )
    unit = labels.unit_kind(shown["unit"].iloc[0] if not shown.empty else None)
    axis = (
        alt.Axis(labelExpr=labels.yen_axis_expression(lang))
        if unit == "jpy"
        else alt.Axis(format={"rate": "%", "count": ",d"}.get(unit, ",.1f"))
    )
    chart = (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonth(month_start_date):T", title=t("month", lang), axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("value:Q", title=names.get(kpi_id, kpi_id), axis=axis),
            color=alt.Color("series:N", title=None),
            strokeDash=alt.StrokeDash("series:N", legend=None),
        )
        .properties(height=300)
    )
    st.altair_chart(chart, width="stretch")
    table(
        context,
        "kpi_trend",
        shown.sort_values("month_start_date", ascending=False),
        [
            Column("month_start_date", "month", "month"),
            Column("actual", "actual", "unit"),
            Column("judged_actual", "judged_actual", "unit"),
            Column("target", "target", "unit"),
            Column("achievement_rate", "achievement", "rate"),
            Column("status", "status", "status"),
            Column("prior_year_judged_actual", "prior_year_same_month", "unit"),
            Column("yoy_change", "yoy_change", "gap"),
            Column("trailing_3_month_actual", "trailing_3m", "unit"),
        ],
        key="month_start_date",
    )
    st.subheader(t("fytd_vs_kgi", lang))
    fytd_vs_kgi(context, definitions, rows)


def fytd_vs_kgi(context: PageContext, definitions: pd.DataFrame, _rows: pd.DataFrame) -> None:
    """Each KGI in the latest complete month: fiscal-year-to-date actual against its target,
    beside the previous fiscal year's to-date actual at the same point (前年度)."""
    lang = context.lang
    period = load(context, "reporting_period")
    monthly = queries.with_prior_year(load(context, "kpi_monthly"))
    latest = pd.Timestamp(period["latest_complete_month_start_date"])
    kgi_ids = set(definitions.loc[definitions["node_level"] == "kgi", "kpi_id"])
    rows = monthly[(monthly["kpi_id"].isin(kgi_ids)) & (monthly["month_start_date"] == latest)]
    names = kpi_label(definitions, lang)
    table(
        context,
        "kgi_fytd",
        rows.assign(kpi_name=rows["kpi_id"].map(names)),
        [
            Column("kpi_name", "kpi"),
            Column("fiscal_year", "fiscal_year"),
            Column("fytd_actual", "fytd", "unit"),
            Column("prior_year_fytd_actual", "prior_fiscal_year", "unit"),
            Column("target", "target_to_date", "unit"),
            Column("target_value", "target_annual", "unit"),
            Column("achievement_rate", "achievement", "rate"),
            Column("status", "status", "status"),
        ],
        key="kpi_id",
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
    named = render.named(ranked, lang)
    priced = named[named["annual_revenue_impact_jpy"].fillna(0) > 0]
    if not priced.empty:
        chart = (
            alt.Chart(priced.assign(status_label=[labels.status_label(s, lang) for s in priced["status"]]))
            .mark_bar()
            .encode(
                x=alt.X(
                    "annual_revenue_impact_jpy:Q",
                    title=t("revenue_impact", lang),
                    axis=alt.Axis(labelExpr=labels.yen_axis_expression(lang)),
                ),
                y=alt.Y("kpi_name:N", sort=list(priced["kpi_name"]), title=None),
                color=alt.Color("status_label:N", title=t("status", lang), scale=status_colour_scale(lang)),
            )
            .properties(height=alt.Step(26))
        )
        st.altair_chart(chart, width="stretch")
    table(context, "priorities", named, render.PRIORITY_COLUMNS, key="kpi_id")
    st.subheader(t("alerts", lang))
    if current.empty:
        st.success(t("no_alerts", lang))
        return
    alerts_named = render.named(current, lang)
    judged = alerts_named[alerts_named["achievement_rate"].notna()]
    if not judged.empty:
        chart = (
            alt.Chart(judged.assign(status_label=[labels.status_label(s, lang) for s in judged["status"]]))
            .mark_bar()
            .encode(
                x=alt.X("achievement_rate:Q", title=t("achievement", lang), axis=alt.Axis(format="%")),
                y=alt.Y("kpi_name:N", sort="x", title=None),
                color=alt.Color("status_label:N", title=t("status", lang), scale=status_colour_scale(lang)),
            )
            .properties(height=alt.Step(26))
        )
        st.altair_chart(chart, width="stretch")
    table(context, "alerts", alerts_named, render.ALERT_COLUMNS, key="kpi_id")


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
    unassigned = t("unassigned", lang)
    frame = frame.assign(
        rep=[
            name if not labels.is_null(name) else (user if not labels.is_null(user) else unassigned)
            for name, user in zip(frame["rep_name"], frame["rep_user_id"], strict=True)
        ],
        rep_key=frame["rep_user_id"].fillna(""),
    )
    chart = (
        alt.Chart(frame.dropna(subset=["sla_compliance_rate"]))
        .mark_bar()
        .encode(
            x=alt.X("sla_compliance_rate:Q", title=t("sla_rate", lang), axis=alt.Axis(format="%")),
            y=alt.Y("rep:N", sort="x", title=t("is_rep", lang), axis=alt.Axis(labelLimit=240)),
            tooltip=[
                alt.Tooltip("rep:N", title=t("is_rep", lang)),
                alt.Tooltip("sla_compliance_rate:Q", title=t("sla_rate", lang), format=".1%"),
                alt.Tooltip("due_count:Q", title=t("sla_due", lang)),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")
    table(
        context,
        "sla_by_rep",
        frame,
        [
            Column("rep", "is_rep"),
            Column("due_count", "sla_due", "count"),
            Column("met_count", "sla_met", "count"),
            Column("sla_compliance_rate", "sla_rate", "rate"),
            Column("median_business_hours", "sla_median_hours", "number"),
        ],
        key="rep_key",
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


def tier_bars(
    frame: pd.DataFrame, columns: dict[str, str], tiers: list[str], lang: Lang, axis_format: str
) -> alt.Chart:
    """Grouped bars per ABM tier: one bar per column (label key as the legend)."""
    long = frame.melt(id_vars=["tier_name"], value_vars=list(columns), var_name="measure")
    long["measure"] = long["measure"].map({column: t(key, lang) for column, key in columns.items()})
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=None, axis=alt.Axis(format=axis_format)),
            y=alt.Y("tier_name:N", title=None, sort=tiers),
            color=alt.Color("measure:N", title=None),
            yOffset="measure:N",
        )
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
    tiers = list(frame["tier_name"])
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('abm_tier_movement', lang)}**")
        movements = {
            "new_account_count": "abm_new_accounts",
            "moved_up_account_count": "abm_moved_up",
            "moved_down_account_count": "abm_moved_down",
        }
        st.altair_chart(tier_bars(frame, movements, tiers, lang, ",d"), width="stretch")
    with right:
        st.markdown(f"**{t('abm_results_by_tier', lang)}**")
        rates = {
            "mql_to_opportunity_rate": "abm_mql_to_opportunity_rate",
            "win_rate": "abm_win_rate",
            "renewal_rate": "abm_renewal_rate",
        }
        st.altair_chart(tier_bars(frame, rates, tiers, lang, "%"), width="stretch")
    table(context, "abm_tiers", frame, ABM_COLUMNS, key="tier_code")
