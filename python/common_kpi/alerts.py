"""`common-kpi alerts`: print the KPIs that missed target and post them to a webhook.

Reads the mart `kpi_alerts` of the published warehouse (`COMMON_KPI_PUBLISHED_PATH`, opened
read-only): the KGIs and KPIs whose latest judged period is at_risk or missed (never no_data). Prints
them with Japanese labels, owner, actual against target, gap and severity; when
`COMMON_KPI_WEBHOOK_URL` is set, also posts them as a Slack-compatible JSON message
(`{"text": ..., "blocks": [...]}`) with the standard library (no extra dependency).

Exit codes: 0 printed (and posted), 1 the webhook failed, 2 the warehouse or mart is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from common_kpi.tree import (
    STATUS_LABELS,
    WarehouseError,
    fetch_dicts,
    find_relation,
    format_value,
    published_path,
    status_mark,
)

WEBHOOK_ENV = "COMMON_KPI_WEBHOOK_URL"
DEFAULT_TIMEOUT_SECONDS = 10.0
SEVERITY_LABELS = {"error": "エラー (error)", "warn": "警告 (warn)"}


class WebhookError(RuntimeError):
    """The webhook could not be reached or answered with an HTTP error."""


@dataclass(frozen=True)
class Alert:
    row: dict[str, Any]

    @property
    def severity(self) -> str:
        return str(self.row["severity"])

    @property
    def gap_text(self) -> str:
        gap, unit = self.row["gap"], self.row["unit"]
        if gap is None:
            return "n/a"
        if unit == "rate":
            return f"{gap * 100:+.1f}pt"
        sign = "+" if gap >= 0 else "-"
        return f"{sign}{format_value(abs(gap), unit)}"

    def summary(self) -> str:
        row = self.row
        name = f"{row['kpi_name_ja']} ({row['kpi_name_en']}) [{row['owner_department_ja']}]"
        if row["evaluated_month_start_date"] is None:
            return f"{name} {status_mark(row['status'])}: 判定できる月がありません (no judged month)"
        return (
            f"{name} {status_mark(row['status'])}: "
            f"実績 {format_value(row['actual'], row['unit'])} / "
            f"目標 {format_value(row['target'], row['unit'])}, 差異 {self.gap_text}, "
            f"{SEVERITY_LABELS.get(self.severity, self.severity)}, "
            f"判定月 {row['evaluated_month_start_date']:%Y-%m}"
        )


def read_alerts(connection: duckdb.DuckDBPyConnection) -> list[Alert]:
    relation = find_relation(connection, "kpi_alerts")
    rows = fetch_dicts(
        connection,
        f"select * from {relation} "
        "order by case severity when 'error' then 0 else 1 end, priority_rank nulls last, sort_order",
    )
    return [Alert(row) for row in rows]


def render_alerts(alerts: list[Alert]) -> str:
    if not alerts:
        return "KPIアラート / KPI alerts: すべてのKPIが目標を達成しています (every KPI is on target)."
    period = alerts[0].row["period_month_start_date"]
    lines = [f"KPIアラート / KPI alerts — {period:%Y-%m}: {len(alerts)}件"]
    lines += [f"  - {alert.summary()}" for alert in alerts]
    return "\n".join(lines)


def slack_message(alerts: list[Alert]) -> dict[str, Any]:
    """A Slack-compatible incoming-webhook payload: plain `text` plus Block Kit `blocks`."""
    text = render_alerts(alerts).splitlines()[0]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": text[:150]}},
    ]
    for alert in alerts:
        mark = STATUS_LABELS.get(alert.row["status"], ("?", ""))[0]
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"{mark} *{alert.summary()}*"},
            }
        )
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "common-kpi: kpi_tree.yml の目標に対する最新完了月の判定"}
            ],
        }
    )
    return {"text": text, "blocks": blocks}


def post_webhook(url: str, payload: dict[str, Any], timeout: float = DEFAULT_TIMEOUT_SECONDS) -> int:
    """POST the payload as JSON; return the HTTP status or raise WebhookError."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", errors="replace")[:200]
        raise WebhookError(f"webhook answered HTTP {error.code} {error.reason}: {body}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise WebhookError(f"webhook could not be reached: {reason}") from None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi alerts", description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=None, help="DuckDB file (default: published)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="webhook timeout (s)")
    args = parser.parse_args(argv)
    path = args.path or published_path()
    if not path.is_file():
        print(f"common-kpi alerts: {path} does not exist (run `make build` first)", file=sys.stderr)
        return 2
    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            alerts = read_alerts(connection)
    except WarehouseError as error:
        print(f"common-kpi alerts: {error}", file=sys.stderr)
        return 2
    print(render_alerts(alerts))
    url = os.environ.get(WEBHOOK_ENV)
    if url and alerts:
        try:
            status = post_webhook(url, slack_message(alerts), timeout=args.timeout)
        except WebhookError as error:
            print(f"common-kpi alerts: {error}", file=sys.stderr)
            return 1
        print(f"posted {len(alerts)} alert(s) to the webhook (HTTP {status})")
    return 0
