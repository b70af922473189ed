"""`common-kpi alerts`: print the KPIs that missed target and post them to a webhook.

Reads the mart `kpi_alerts` of the published BI file (`common_kpi.warehouse.bi_path`, opened
read-only): the KGIs and KPIs whose latest judged period is at_risk or missed (never
no_data). Prints them with Japanese labels, owner, actual against target, gap, severity and
judged period (every word and format from `common_kpi.labels`); when `COMMON_KPI_WEBHOOK_URL`
is set, also posts them as a Slack-compatible JSON message (`{"text": ..., "blocks": [...]}`)
with the standard library: one status mark per alert, and a link to the dashboard's priorities
page when `COMMON_KPI_DASHBOARD_URL` (the dashboard's base URL) is set.

The webhook URL is a secret (anyone holding it can post to the channel): it is never printed,
not even in an error. A malformed URL is a clear error; HTTP 429 (rate limited) is retried
after the Retry-After the server asks for (capped), a few times.

Exit codes: 0 printed (and posted), 1 the webhook failed, 2 the warehouse or mart is missing
or a URL is malformed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common_kpi import labels
from common_kpi.warehouse import Warehouse, WarehouseError, connect_read_only, fetch_dicts, find_relation

WEBHOOK_ENV = "COMMON_KPI_WEBHOOK_URL"
DASHBOARD_URL_ENV = "COMMON_KPI_DASHBOARD_URL"
DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_ATTEMPTS = 4
"""One post and up to three retries when the webhook answers 429."""
MAX_RETRY_AFTER_SECONDS = 30.0
DEFAULT_RETRY_AFTER_SECONDS = 1.0


class WebhookError(RuntimeError):
    """The webhook could not be reached or answered with an HTTP error."""


class MalformedUrl(ValueError):
    """A configured URL is not an absolute http(s) URL."""


@dataclass(frozen=True)
class Alert:
    row: dict[str, Any]

    @property
    def severity(self) -> str:
        return str(self.row["severity"])

    @property
    def gap_text(self) -> str:
        return labels.format_gap(self.row["gap"], self.row["unit"])

    def summary(self, with_mark: bool = True) -> str:
        row = self.row
        name = f"{row['kpi_name_ja']} ({row['kpi_name_en']}) [{row['owner_department_ja']}]"
        status = labels.status_text(row["status"]) if with_mark else labels.status_label(row["status"])
        if labels.is_null(row["evaluated_month_start_date"]):
            return f"{name} {status}: 判定できる月がありません (no judged month)"
        unit = row["unit"]
        note = labels.judged_note(
            judged_period=row.get("judged_period"),
            evaluated_month=row["evaluated_month_start_date"],
            period_month=row.get("period_month_start_date"),
        )
        return (
            f"{name} {status}: 実績 {labels.format_kpi_value(row['actual'], unit)} / "
            f"目標 {labels.format_kpi_value(row['target'], unit)}, 差異 {self.gap_text}, "
            f"重要度 {labels.severity_label(self.severity)}, {note}"
        )


def read_alerts(connection: Any) -> list[Alert]:
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
    lines = [f"KPIアラート / KPI alerts — {labels.format_month(period)}: {len(alerts)}件"]
    lines += [f"  - {alert.summary()}" for alert in alerts]
    return "\n".join(lines)


def checked_url(url: str, what: str) -> str:
    """`url` if it is an absolute http(s) URL with a host; else `MalformedUrl` naming `what`
    (never the URL itself, which may hold a secret)."""
    parsed = urllib.parse.urlsplit(url.strip())
    try:
        parsed.port  # noqa: B018 - a non-numeric port fails here, not in http.client (whose error quotes it)
        port_ok = True
    except ValueError:
        port_ok = False
    if parsed.scheme not in {"http", "https"} or not parsed.netloc or " " in url.strip() or not port_ok:
        raise MalformedUrl(
            f"{what} is not an absolute http(s) URL (expected https://host/path; "
            "the value is not shown because it may be a secret)"
        )
    return url.strip()


def dashboard_link(base_url: str | None, page: str = "priorities") -> str | None:
    if not base_url:
        return None
    return f"{checked_url(base_url, DASHBOARD_URL_ENV).rstrip('/')}/{page}"


def slack_message(alerts: list[Alert], dashboard_url: str | None = None) -> dict[str, Any]:
    """A Slack-compatible incoming-webhook payload: plain `text` plus Block Kit `blocks`; each
    alert carries one status mark, and the context links the dashboard page when known."""
    text = render_alerts(alerts).splitlines()[0]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": text[:150]}},
    ]
    for alert in alerts:
        mark = labels.status_mark(alert.row["status"])
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"{mark} *{alert.summary(with_mark=False)}*"},
            }
        )
    context = "common-kpi: kpi_tree.yml の目標に対する最新完了月の判定"
    if dashboard_url:
        context += f" ・ <{dashboard_url}|ダッシュボードで見る / open the dashboard>"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    return {"text": text, "blocks": blocks}


def retry_after_seconds(header: str | None) -> float:
    try:
        seconds = float(header) if header else DEFAULT_RETRY_AFTER_SECONDS
    except ValueError:
        seconds = DEFAULT_RETRY_AFTER_SECONDS
    return max(0.0, min(seconds, MAX_RETRY_AFTER_SECONDS))


def post_webhook(
    url: str,
    payload: dict[str, Any],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST the payload as JSON; return the HTTP status or raise WebhookError (without the
    URL). HTTP 429 is retried after Retry-After, up to MAX_ATTEMPTS posts in all."""
    request = urllib.request.Request(
        checked_url(url, WEBHOOK_ENV),
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            if error.code == 429 and attempt < MAX_ATTEMPTS:
                wait = retry_after_seconds(error.headers.get("Retry-After"))
                print(
                    f"webhook rate-limited (HTTP 429), retrying in {wait:.0f}s "
                    f"({attempt}/{MAX_ATTEMPTS - 1})",
                    file=sys.stderr,
                )
                sleep(wait)
                continue
            body = error.read().decode("utf-8", errors="replace")[:200]
            raise WebhookError(f"webhook answered HTTP {error.code} {error.reason}: {body}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise WebhookError(f"webhook could not be reached: {reason}") from None
    raise WebhookError("webhook still rate-limited (HTTP 429) after retries")  # pragma: no cover


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi alerts", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--path", type=Path, default=None, help="DuckDB file (default: the published BI file)"
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="webhook timeout (s)")
    args = parser.parse_args(argv)
    try:
        with connect_read_only(args.path or Warehouse.bi().path) as connection:
            alerts = read_alerts(connection)
    except WarehouseError as error:
        print(f"common-kpi alerts: {error}", file=sys.stderr)
        return 2
    print(render_alerts(alerts))
    url = os.environ.get(WEBHOOK_ENV)
    if url and alerts:
        try:
            link = dashboard_link(os.environ.get(DASHBOARD_URL_ENV))
            status = post_webhook(url, slack_message(alerts, link), timeout=args.timeout)
        except MalformedUrl as error:
            print(f"common-kpi alerts: {error}", file=sys.stderr)
            return 2
        except WebhookError as error:
            print(f"common-kpi alerts: {error}", file=sys.stderr)
            return 1
        print(f"posted {len(alerts)} alert(s) to the webhook (HTTP {status})")
    return 0
