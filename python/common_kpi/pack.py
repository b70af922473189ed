"""`common-kpi pack`: write the monthly review pack for the cross-department meeting.

One self-contained, printable HTML file, `artifacts/pack/monthly_review_<YYYY-MM>.html`,
for the latest complete month (or `--month YYYY-MM`): the KPI tree, the current alerts, the
top improvement priorities with their revenue impact, and each department's KPIs with their
12-month trend as inline SVG sparklines. Every figure comes from the published BI file's
marts (the same queries as the dashboard) and carries the `data-ck-*` markers of
`common_kpi.dashboard.render`, so the test can compare the pack with the marts. No network
asset: the pack opens and prints offline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from html import escape
from pathlib import Path

import pandas as pd

from common_kpi import PROJECT_DIR, labels
from common_kpi.dashboard import queries, render
from common_kpi.dashboard.i18n import DEFAULT_LANG, LANGUAGES, Lang, pick, t
from common_kpi.warehouse import Warehouse, WarehouseError

DEFAULT_OUT = PROJECT_DIR / "artifacts" / "pack"
TOP_PRIORITIES = 5
TREND_MONTHS = 12

PRINT_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: #1a202c;
  margin: 0 auto; max-width: 1200px; padding: 1em; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; }
h2 { font-size: 1.15em; border-bottom: 2px solid #2d3748; padding-bottom: 0.15em; margin-top: 1.4em; }
h3 { font-size: 1em; margin: 1em 0 0.3em; }
.ck-meta { color: #4a5568; font-size: 0.85em; }
section { break-inside: avoid; page-break-inside: avoid; }
section.ck-department { break-inside: avoid; }
section.ck-department table.ck-table { table-layout: fixed; }
@media print {
  body { padding: 0; max-width: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .ck-node { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .ck-status { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def department_sections(
    nodes: pd.DataFrame,
    monthly: pd.DataFrame,
    month: dt.date,
    lang: Lang,
    department_names: dict[str, tuple[str, str]],
) -> str:
    """Each owner department's KPIs as the tree judges them in `month`, with a sparkline of
    the judged value against the target over the last 12 months.

    A KPI owned by several departments (営業・CS) is listed under each of them.
    """
    month_ts = pd.Timestamp(month)
    window_start = month_ts - pd.DateOffset(months=TREND_MONTHS - 1)
    kpis = nodes[nodes["node_level"] == "kpi"]
    members_by_code: dict[str, list[pd.Series]] = {code: [] for code in department_names}
    for _, kpi in kpis.iterrows():
        for code in str(kpi["owner_department"]).split(","):
            members_by_code.setdefault(code, []).append(kpi)
    departments = {
        code: (pick(lang, *department_names.get(code, (code, code))), members)
        for code, members in members_by_code.items()
        if members
    }
    sections = []
    for code, (name, members) in departments.items():
        rows = []
        for kpi in members:
            history = monthly[
                (monthly["kpi_id"] == kpi["node_id"])
                & (monthly["month_start_date"] >= window_start)
                & (monthly["month_start_date"] <= month_ts)
            ].sort_values("month_start_date")
            kind = labels.unit_kind(kpi["unit"])
            achievement = render.figure("achievement_rate", kpi["achievement_rate"], "rate", lang)
            rows.append(
                f'<tr data-ck-row="{escape(str(kpi["node_id"]))}">'
                f"<td>{escape(pick(lang, kpi['name_ja'], kpi['name_en']))}</td>"
                f'<td class="ck-num">{render.figure("actual", kpi["actual"], kind, lang)}</td>'
                f'<td class="ck-num">{render.figure("target", kpi["target"], kind, lang)}</td>'
                f'<td class="ck-num">{achievement}</td><td>{render.status_badge(kpi["status"], lang)}</td>'
                f"<td>{render.sparkline_svg(history['judged_actual'], history['target'])}</td></tr>"
            )
        if not rows:
            continue
        head = "".join(
            f"<th>{escape(t(key, lang))}</th>"
            for key in ("kpi", "actual", "target", "achievement", "status", "pack_trend")
        )
        sections.append(
            f'<section class="ck-department" data-ck-department="{escape(code)}"><h3>{escape(name)}</h3>'
            f'<table class="ck-table" data-ck-table="department_{escape(code)}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
        )
    return "".join(sections)


def render_pack(warehouse: Warehouse, month: dt.date, lang: Lang, generated_at: dt.datetime) -> str:
    """The whole pack as one HTML document."""
    period = queries.reporting_period(warehouse)
    monthly = queries.kpi_monthly(warehouse)
    nodes = queries.kpi_tree(warehouse, month)
    current_alerts = queries.alerts(warehouse)
    top = queries.priorities(warehouse).head(TOP_PRIORITIES)
    alerts_html = (
        render.table_html(
            "alerts", render.named(current_alerts, lang), render.ALERT_COLUMNS, lang, key="kpi_id"
        )
        if not current_alerts.empty
        else f"<p>{escape(t('no_alerts', lang))}</p>"
    )
    priorities_html = render.table_html(
        "priorities", render.named(top, lang), render.PRIORITY_COLUMNS, lang, key="kpi_id"
    )
    as_of = pd.Timestamp(period["as_of_date"]).date().isoformat()
    title = f"{t('pack_title', lang)} {month:%Y-%m}"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{render.BASE_CSS}{PRINT_CSS}</style></head><body>"
        f'<h1 data-ck-field="month_start_date" data-ck-value="{month.isoformat()}">{escape(title)}</h1>'
        f'<p class="ck-meta">{escape(t("as_of", lang))}: <span data-ck-field="as_of_date" '
        f'data-ck-value="{as_of}">{as_of}</span> ・ {escape(t("pack_generated", lang))}: '
        f"{generated_at:%Y-%m-%d %H:%M}</p>"
        f"<section><h2>{escape(t('page_tree', lang))}</h2>{render.tree_html(nodes, lang)}</section>"
        f"<section><h2>{escape(t('alerts', lang))}</h2>{alerts_html}</section>"
        f"<section><h2>{escape(t('priorities', lang))}</h2>{priorities_html}</section>"
        f"<h2>{escape(t('pack_department_kpis', lang))}</h2>"
        f"{department_sections(nodes, monthly, month, lang, queries.department_labels(warehouse))}"
        "</body></html>"
    )


def write_pack(
    warehouse: Warehouse,
    out_dir: Path,
    month: dt.date | None = None,
    lang: Lang = DEFAULT_LANG,
    generated_at: dt.datetime | None = None,
) -> Path:
    """Write the pack for `month` (default: the latest complete month) and return its path."""
    if month is None:
        month = pd.Timestamp(queries.reporting_period(warehouse)["latest_complete_month_start_date"]).date()
    html = render_pack(warehouse, month, lang, generated_at or dt.datetime.now())
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"monthly_review_{month:%Y-%m}.html"
    path.write_text(html, encoding="utf-8")
    return path


def parse_month(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m").date().replace(day=1)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi pack", description=__doc__.splitlines()[0])
    parser.add_argument("--month", type=parse_month, default=None, help="YYYY-MM (default: latest complete)")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANG, help="ja (default) or en")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default artifacts/pack)"
    )
    args = parser.parse_args(argv)
    try:
        warehouse = Warehouse.bi()
    except WarehouseError as error:
        print(f"common-kpi pack: {error}", file=sys.stderr)
        return 2
    path = write_pack(warehouse, args.out, args.month, args.lang)
    print(f"Monthly review pack: {path}")
    return 0
