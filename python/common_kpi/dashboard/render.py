"""HTML fragments shared by the dashboard and the meeting pack.

Every figure is rendered with stable markers so that a test (or a screen reader) can find it
without parsing the visible formatting:

    <... data-ck-node="<node id>">            one KPI tree node
    <... data-ck-table="<name>">              one table
    <tr data-ck-row="<row key>">              one row of it
    <... data-ck-field="<column>" data-ck-value="<raw value>">formatted</...>

`data-ck-value` carries the unformatted value from the mart (`repr` of a float, ISO date),
empty for null. The fragments use no external asset (no fonts, scripts or images from the
network), so the pack prints offline.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlencode

import pandas as pd

from common_kpi import labels
from common_kpi.dashboard.i18n import t
from common_kpi.labels import Lang, format_value, is_null, pick, status_colour, status_label, unit_kind

BASE_CSS = """
.ck-tree, .ck-tree ul { list-style: none; margin: 0; padding-left: 1.4em; }
.ck-tree { padding-left: 0; }
.ck-tree li { margin: 0.25em 0; }
.ck-node { display: inline-flex; flex-wrap: wrap; gap: 0.6em; align-items: baseline;
  border-left: 0.4em solid var(--ck-status); padding: 0.2em 0.6em; background: #f7f7f9;
  border-radius: 0.2em; font-size: 0.95em; }
.ck-level { font-weight: 700; color: #2d3748; min-width: 2.6em; }
.ck-name { font-weight: 600; }
.ck-owner { color: #4a5568; font-size: 0.85em; }
.ck-fig { white-space: nowrap; }
.ck-fig .ck-label { color: #718096; font-size: 0.8em; margin-right: 0.25em; }
.ck-drill { font-size: 0.8em; }
.ck-judged { color: #4a5568; font-size: 0.8em; flex-basis: 100%; }
.ck-status { color: #fff; background: var(--ck-status); border-radius: 0.8em;
  padding: 0 0.6em; font-size: 0.8em; white-space: nowrap; }
table.ck-table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.ck-table th, table.ck-table td { border-bottom: 1px solid #e2e8f0; padding: 0.3em 0.5em;
  text-align: left; }
table.ck-table th { white-space: nowrap; word-break: keep-all; vertical-align: bottom; }
.ck-scroll { overflow-x: auto; }
table.ck-table td { white-space: nowrap; }
table.ck-table td.ck-num { text-align: right; font-variant-numeric: tabular-nums; }
svg.ck-spark { vertical-align: middle; }
"""


@dataclass(frozen=True)
class Column:
    """One column of a rendered table: mart column, label key, and how to format it."""

    name: str
    label_key: str
    kind: str = "text"  # text | count | rate | jpy | number | days | month | status | severity
    # "unit": formatted by the row's own `unit` column (a KPI's actual, target);
    # "gap": a gap to target in the row's unit (points for a rate, signed yen or count)


def raw_value(value: object) -> str:
    """The marker form of a mart value: empty for null, ISO for dates, repr for numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if hasattr(value, "item"):  # numpy scalar
        return raw_value(value.item())
    return str(value)


def figure(field: str, value: object, kind: str, lang: Lang, label_key: str | None = None) -> str:
    """One labelled figure with its marker."""
    label = f'<span class="ck-label">{escape(t(label_key, lang))}</span>' if label_key else ""
    return (
        f'<span class="ck-fig" data-ck-field="{escape(field)}" '
        f'data-ck-value="{escape(raw_value(value))}">{label}'
        f"{escape(format_value(value, kind, lang))}</span>"
    )


def status_badge(status: str | None, lang: Lang) -> str:
    return (
        f'<span class="ck-status" data-ck-field="status" data-ck-value="{escape(status or "")}" '
        f'style="--ck-status: {status_colour(status)}">{escape(status_label(status, lang))}</span>'
    )


def figures_html(node: pd.Series, kind: str, level: str, lang: Lang) -> str:
    """Actual, target and achievement of a node; a KSF's as `KPI達成 2/4`."""
    if level == "ksf":
        summary = labels.ksf_summary(node.get("achieved_kpi_count"), node.get("judged_kpi_count"), lang)
        return (
            f'<span class="ck-fig" data-ck-field="ksf_summary" '
            f'data-ck-value="{escape(raw_value(node.get("achieved_kpi_count")))}/'
            f'{escape(raw_value(node.get("judged_kpi_count")))}">{escape(summary)}</span>'
            f"<span hidden>{figure('actual', node['actual'], kind, lang)}"
            f"{figure('target', node['target'], kind, lang)}"
            f"{figure('achievement_rate', node['achievement_rate'], 'rate', lang)}</span>"
        )
    return (
        figure("actual", node["actual"], kind, lang, "actual")
        + figure("target", node["target"], kind, lang, "target")
        + figure("achievement_rate", node["achievement_rate"], "rate", lang, "achievement")
    )


def judged_html(node: pd.Series, level: str, lang: Lang) -> str:
    """The period a KGI's / KPI's value is judged on and how its target was pro-rated."""
    if level == "ksf":
        return ""
    note = labels.judged_note(
        judged_period=node.get("judged_period"),
        evaluated_month=node.get("evaluated_month_start_date"),
        period_month=node.get("month_start_date"),
        target=node.get("target"),
        target_value=node.get("target_value"),
        judged_month_count=node.get("judged_month_count"),
        unit=node.get("unit"),
        basis=pick(lang, node.get("basis_label_ja"), node.get("basis_label_en")),
        lang=lang,
    )
    gap_note = labels.other_source_note(node, lang)
    if gap_note:
        note = f"{note}{'・' if lang == 'ja' else '; '}{gap_note}"
    return (
        f'<span class="ck-judged" data-ck-field="judged_note" '
        f'data-ck-value="{escape(raw_value(node.get("evaluated_month_start_date")))}">{escape(note)}</span>'
    )


RECORD_STAGES: tuple[str, ...] = (
    *("lead", "mql", "sql", "opportunity", "won", "lost", "met", "not_met"),
    *("retained", "churned", "renewed", "promoter", "passive", "detractor", "bought", "not_bought"),
)
"""Stage values of the drill-down record sets (labels `stage_<value>`)."""

SALESFORCE_URL_ENV = "COMMON_KPI_SALESFORCE_URL"
HUBSPOT_URL_ENV = "COMMON_KPI_HUBSPOT_URL"
CRM_CUSTOMER_URL_ENV = "COMMON_KPI_CRM_CUSTOMER_URL"
CRM_CONTRACT_URL_ENV = "COMMON_KPI_CRM_CONTRACT_URL"


def record_links(records: pd.DataFrame) -> dict[str, dict[object, str]]:
    """Links from the record ids of a drill-down to the records in Salesforce, HubSpot and the
    CRM, when their URLs are set: `COMMON_KPI_SALESFORCE_URL` (e.g.
    https://example.my.salesforce.com → /lightning/r/<Object>/<id>/view),
    `COMMON_KPI_HUBSPOT_URL` (the portal's contacts URL, e.g.
    https://app.hubspot.com/contacts/1234567 → /record/0-1/<id>), and the CRM's record URLs
    with `{id}` where the id goes, `COMMON_KPI_CRM_CUSTOMER_URL` /
    `COMMON_KPI_CRM_CONTRACT_URL` (e.g. https://crm.example.co.jp/customers/{id}). The first
    id of a comma-separated list is linked."""
    salesforce = os.environ.get(SALESFORCE_URL_ENV, "").rstrip("/")
    hubspot = os.environ.get(HUBSPOT_URL_ENV, "").rstrip("/")
    templates: dict[str, str] = {}
    if salesforce:
        templates["salesforce_lead_ids"] = f"{salesforce}/lightning/r/Lead/{{id}}/view"
        for column in ("opportunity_id", "opportunity_ids"):
            templates[column] = f"{salesforce}/lightning/r/Opportunity/{{id}}/view"
    if hubspot:
        templates["hubspot_contact_ids"] = f"{hubspot}/record/0-1/{{id}}"
    for column, variable in (
        ("crm_customer_id", CRM_CUSTOMER_URL_ENV),
        ("contract_ids", CRM_CONTRACT_URL_ENV),
    ):
        template = os.environ.get(variable, "")
        if template:
            templates[column] = template if "{id}" in template else template.rstrip("/") + "/{id}"

    def first(value: object) -> str:
        return quote(str(value).split(",")[0].strip(), safe="")

    return {
        column: {value: template.replace("{id}", first(value)) for value in records[column].dropna().unique()}
        for column, template in templates.items()
        if column in records.columns
    }


def record_totals_html(records: pd.DataFrame, lang: Lang, kind: str = "count") -> str:
    """The count of records and the sums of their numerator and denominator values: the KPI
    mart's judged numerator and denominator."""
    numerator = records["numerator_value"].sum() if len(records) else 0.0
    denominator = records["denominator_value"].sum(min_count=1) if len(records) else None
    count = escape(t("records_count", lang, count=len(records)))
    return (
        f'<p class="ck-totals" data-ck-table="record_totals">{count}'
        f" · {figure('numerator_value', numerator, kind, lang, 'numerator_value')}"
        f" · {figure('denominator_value', denominator, kind, lang, 'denominator_value')}</p>"
    )


def drilldown_link(node_id: str, month: dt.date, lang: Lang) -> str:
    """A link from a KPI node to the records behind it (the dashboard's /records page)."""
    query = urlencode({"kpi": node_id, "month": month.isoformat(), "lang": lang})
    return (
        f'<a class="ck-drill" href="records?{escape(query)}" target="_self" '
        f'data-ck-drill="{escape(node_id)}">{escape(t("open_records", lang))}</a>'
    )


def tree_html(
    nodes: pd.DataFrame,
    lang: Lang,
    drilldown: set[str] | None = None,
    month: dt.date | None = None,
) -> str:
    """The KPI tree of one period as nested lists, parents before children.

    `nodes` has one row per node with node_id, parent_node_id, node_level, name_ja, name_en,
    owner_department_ja / _en, unit, actual, target, achievement_rate and status.
    """
    children: dict[str | None, list[pd.Series]] = {}
    known = set(nodes["node_id"])
    for _, node in nodes.iterrows():
        parent = node["parent_node_id"]
        parent = None if is_null(parent) or parent not in known else str(parent)
        children.setdefault(parent, []).append(node)

    def branch(parent: str | None) -> str:
        items = []
        for node in children.get(parent, []):
            kind = unit_kind(node.get("unit"))
            level = str(node["node_level"]).lower()
            name = pick(lang, node.get("name_ja"), node.get("name_en"))
            owner = pick(lang, node.get("owner_department_ja"), node.get("owner_department_en"))
            body = (
                f'<div class="ck-node" data-ck-node="{escape(str(node["node_id"]))}" '
                f'style="--ck-status: {status_colour(node["status"])}">'
                f'<span class="ck-level">{escape(t("level_" + level, lang))}</span>'
                f'<span class="ck-name">{escape(name)}</span>'
                f'<span class="ck-owner">{escape(owner)}</span>'
                + figures_html(node, kind, level, lang)
                + status_badge(node["status"], lang)
                + judged_html(node, level, lang)
                + (
                    drilldown_link(str(node["node_id"]), month, lang)
                    if drilldown and month and str(node["node_id"]) in drilldown
                    else ""
                )
                + "</div>"
            )
            items.append(f"<li>{body}{branch(str(node['node_id']))}</li>")
        return f"<ul>{''.join(items)}</ul>" if items else ""

    inner = branch(None)
    return f'<div class="ck-tree" data-ck-table="kpi_tree">{inner}</div>'


def cell_text(row: pd.Series, column: Column, lang: Lang, shown: str | None = None) -> str:
    """The text a table cell shows (and its CSV download holds)."""
    value = row[column.name]
    if shown is not None:
        return shown
    if column.kind == "status":
        return status_label(None if is_null(value) else str(value), lang)
    if column.kind == "gap":
        return labels.format_gap(value, row.get("unit"), lang)
    kind = unit_kind(row.get("unit")) if column.kind == "unit" else column.kind
    return format_value(value, kind, lang)


def display_frame(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    lang: Lang,
    value_labels: dict[str, dict[object, str]] | None = None,
) -> pd.DataFrame:
    """The table as the screen shows it: the screen's headers, the formatted cells."""
    value_labels = value_labels or {}
    rows = [
        [
            cell_text(row, column, lang, value_labels.get(column.name, {}).get(row[column.name]))
            for column in columns
        ]
        for _, row in frame.iterrows()
    ]
    return pd.DataFrame(rows, columns=[t(column.label_key, lang) for column in columns])


def csv_bytes(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    lang: Lang,
    value_labels: dict[str, dict[object, str]] | None = None,
) -> bytes:
    """The CSV download of a table: the same headers and cells as the screen, UTF-8 with a
    byte-order mark so that Excel opens the Japanese text correctly."""
    return display_frame(frame, columns, lang, value_labels).to_csv(index=False).encode("utf-8-sig")


def table_html(
    name: str,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    lang: Lang,
    key: str,
    labels: dict[str, dict[object, str]] | None = None,
    links: dict[str, dict[object, str]] | None = None,
) -> str:
    """A table with markers; `labels` maps a column's raw values to display text, `links`
    a column's raw values to a URL the cell links to (a record in Salesforce / HubSpot)."""
    value_labels = labels or {}
    links = links or {}
    head = "".join(f"<th>{escape(t(column.label_key, lang))}</th>" for column in columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for column in columns:
            value = row[column.name]
            if column.kind == "status":
                cells.append(f"<td>{status_badge(None if is_null(value) else str(value), lang)}</td>")
                continue
            text = cell_text(row, column, lang, value_labels.get(column.name, {}).get(value))
            kind = unit_kind(row.get("unit")) if column.kind in {"unit", "gap"} else column.kind
            numeric = kind in {"count", "rate", "jpy", "number", "days"}
            url = links.get(column.name, {}).get(value)
            body = (
                f'<a href="{escape(url)}" target="_blank" rel="noopener">{escape(text)}</a>'
                if url
                else escape(text)
            )
            cells.append(
                f'<td class="{"ck-num" if numeric else "ck-text"}" '
                f'data-ck-field="{escape(column.name)}" data-ck-value="{escape(raw_value(value))}">'
                f"{body}</td>"
            )
        rows.append(f'<tr data-ck-row="{escape(raw_value(row[key]))}">{"".join(cells)}</tr>')
    return (
        f'<div class="ck-scroll"><table class="ck-table" data-ck-table="{escape(name)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def sparkline_svg(
    values: Iterable[object],
    targets: Iterable[object] | None = None,
    *,
    width: int = 160,
    height: int = 36,
    colour: str = "#2b6cb0",
) -> str:
    """An inline SVG sparkline of `values` (nulls skipped) with a dashed target line."""
    points = [None if is_null(value) else float(value) for value in values]  # type: ignore[arg-type]
    goal = [None if is_null(value) else float(value) for value in (targets if targets is not None else [])]  # type: ignore[arg-type]
    known = [value for value in points + goal if value is not None]
    if not known:
        return f'<svg class="ck-spark" width="{width}" height="{height}" role="img"></svg>'
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(len(points) - 1, 1)
    pad = 3

    def path(series: list[float | None]) -> str:
        coordinates = [
            f"{index * step:.1f},{pad + (height - 2 * pad) * (1 - (value - low) / span):.1f}"
            for index, value in enumerate(series)
            if value is not None
        ]
        return " ".join(coordinates)

    target_line = (
        f'<polyline points="{path(goal)}" fill="none" stroke="#a0aec0" '
        f'stroke-width="1" stroke-dasharray="3 2"/>'
        if any(value is not None for value in goal)
        else ""
    )
    return (
        f'<svg class="ck-spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" data-ck-points="{len([p for p in points if p is not None])}">{target_line}'
        f'<polyline points="{path(points)}" fill="none" stroke="{colour}" stroke-width="1.6"/></svg>'
    )


PRIORITY_COLUMNS = (
    Column("meeting_rank", "rank", "count"),
    Column("status", "status", "status"),
    Column("kpi_name", "kpi"),
    Column("owner_name", "owner"),
    Column("evaluated_month_start_date", "evaluated_month", "month"),
    Column("actual", "actual", "unit"),
    Column("target", "target", "unit"),
    Column("gap", "gap", "gap"),
    Column("annual_revenue_impact_jpy", "revenue_impact", "jpy"),
    Column("impact_note", "impact_note"),
    Column("priority_rank", "impact_rank", "count"),
)
"""The priorities in the meeting's order (`labels.meeting_order`): missed and at-risk first,
an unpriceable miss above every achieved KPI with why it has no price; the mart's own rank
by revenue impact beside it."""

ALERT_COLUMNS = (
    Column("status", "status", "status"),
    Column("kpi_name", "kpi"),
    Column("owner_name", "owner"),
    Column("judged_note", "evaluated_month"),
    Column("actual", "actual", "unit"),
    Column("target", "target", "unit"),
    Column("gap", "gap", "gap"),
    Column("achievement_rate", "achievement", "rate"),
    Column("severity", "severity", "severity"),
)


def named(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Add the display columns in `lang`: kpi_name and owner_name (marts carry both
    languages), and where the frame has their inputs, impact_note (why a priority has no
    price) and judged_note (the judged month and period of an alert)."""
    extra: dict[str, list[str]] = {}
    if "impact_method" in frame.columns:
        extra["impact_note"] = [
            labels.impact_note(method, impact, status, lang)
            for method, impact, status in zip(
                frame["impact_method"], frame["annual_revenue_impact_jpy"], frame["status"], strict=True
            )
        ]
    if "period_month_start_date" in frame.columns:
        extra["judged_note"] = [
            labels.judged_note(
                judged_period=row.get("judged_period"),
                evaluated_month=row.get("evaluated_month_start_date"),
                period_month=row.get("period_month_start_date"),
                lang=lang,
            )
            for _, row in frame.iterrows()
        ]
    return frame.assign(
        kpi_name=[
            pick(lang, ja, en) for ja, en in zip(frame["kpi_name_ja"], frame["kpi_name_en"], strict=True)
        ],
        owner_name=[
            pick(lang, ja, en)
            for ja, en in zip(frame["owner_department_ja"], frame["owner_department_en"], strict=True)
        ],
        **extra,
    )
