"""`common-kpi tree` rendering and `common-kpi alerts` (print + webhook) on a small DuckDB fixture."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import pytest

from common_kpi import alerts, tree

MAY = dt.date(2026, 5, 1)
APRIL = dt.date(2026, 4, 1)

TREE_ROWS = [
    # node_id, level, parent, sort, name_ja, name_en, owner_ja, unit, period, evaluated, actual, target,
    # achievement, status, judged, achieved
    (
        "kgi_revenue",
        "kgi",
        None,
        1,
        "年間売上",
        "Annual revenue",
        "全部門",
        "jpy",
        "fiscal_year",
        MAY,
        95_000_000.0,
        100_000_000.0,
        0.95,
        "at_risk",
        None,
        None,
    ),
    (
        "ksf_new_customers",
        "ksf",
        "kgi_revenue",
        2,
        "新規顧客獲得",
        "New customer acquisition",
        "マーケ・IS・営業",
        "rate",
        "month",
        MAY,
        0.5,
        1.0,
        0.5,
        "missed",
        2,
        1,
    ),
    (
        "monthly_mql_count",
        "kpi",
        "ksf_new_customers",
        3,
        "月間MQL獲得数",
        "Monthly MQLs",
        "マーケ",
        "count",
        "month",
        MAY,
        210.0,
        200.0,
        1.05,
        "achieved",
        None,
        None,
    ),
    (
        "mql_to_opportunity_rate",
        "kpi",
        "ksf_new_customers",
        4,
        "商談化率",
        "MQL to opportunity rate",
        "IS",
        "rate",
        "month",
        APRIL,
        0.2,
        0.3,
        0.6667,
        "missed",
        None,
        None,
    ),
]
PRIORITY_ROWS = [
    (
        "mql_to_opportunity_rate",
        1,
        "商談化率",
        "MQL to opportunity rate",
        "IS",
        "rate",
        0.2,
        0.3,
        "missed",
        "funnel_multiplicative",
        150_000_000.0,
    ),
    (
        "monthly_mql_count",
        2,
        "月間MQL獲得数",
        "Monthly MQLs",
        "マーケ",
        "count",
        210.0,
        200.0,
        "achieved",
        "funnel_multiplicative",
        0.0,
    ),
]
ALERT_ROWS = [
    (
        "mql_to_opportunity_rate",
        "kpi",
        "商談化率",
        "MQL to opportunity rate",
        "IS",
        "rate",
        MAY,
        APRIL,
        0.2,
        0.3,
        -0.1,
        "missed",
        "warn",
        1,
        4,
    ),
    (
        "kgi_revenue",
        "kgi",
        "年間売上",
        "Annual revenue",
        "全部門",
        "jpy",
        MAY,
        MAY,
        95_000_000.0,
        100_000_000.0,
        -5_000_000.0,
        "at_risk",
        "error",
        None,
        1,
    ),
]


def placeholders(count: int) -> str:
    return ", ".join("?" * count)


def create_marts(connection: duckdb.DuckDBPyConnection) -> None:
    """The three marts the commands read, in a `main_marts` schema like the dbt build's."""
    connection.execute("create schema main_marts")
    connection.execute(
        """
        create table main_marts.kpi_tree (
            node_id varchar, node_level varchar, parent_node_id varchar, sort_order integer,
            name_ja varchar, name_en varchar, owner_department_ja varchar, unit varchar,
            judged_period varchar, evaluated_month_start_date date, actual double, target double,
            achievement_rate double, status varchar, judged_kpi_count bigint,
            achieved_kpi_count bigint, month_start_date date, is_latest_complete_period boolean
        )
        """
    )
    insert_tree = f"insert into main_marts.kpi_tree values ({placeholders(18)})"
    for row in TREE_ROWS:
        connection.execute(insert_tree, [*row, MAY, True])
    # An older period that must not be shown.
    connection.execute(insert_tree, [*TREE_ROWS[0][:13], "missed", None, None, APRIL, False])
    connection.execute(
        """
        create table main_marts.kpi_priorities (
            kpi_id varchar, priority_rank bigint, kpi_name_ja varchar, kpi_name_en varchar,
            owner_department_ja varchar, unit varchar, actual double, target double, status varchar,
            impact_method varchar, annual_revenue_impact_jpy double
        )
        """
    )
    connection.executemany(
        f"insert into main_marts.kpi_priorities values ({placeholders(11)})", PRIORITY_ROWS
    )
    connection.execute(
        """
        create table main_marts.kpi_alerts (
            kpi_id varchar, node_level varchar, kpi_name_ja varchar, kpi_name_en varchar,
            owner_department_ja varchar, unit varchar, period_month_start_date date,
            evaluated_month_start_date date, actual double, target double, gap double,
            status varchar, severity varchar, priority_rank bigint, sort_order integer
        )
        """
    )
    connection.executemany(f"insert into main_marts.kpi_alerts values ({placeholders(15)})", ALERT_ROWS)


@pytest.fixture()
def memory_marts() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    create_marts(connection)
    yield connection
    connection.close()


@pytest.fixture()
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "common_kpi.duckdb"
    with duckdb.connect(str(path)) as connection:
        create_marts(connection)
    # A marts-only file, as the BI file is: what the alerts read by default.
    monkeypatch.setenv("COMMON_KPI_BI_PATH", str(path))
    monkeypatch.delenv(alerts.WEBHOOK_ENV, raising=False)
    return path


def test_render_tree_shows_the_latest_period_as_a_tree(memory_marts: duckdb.DuckDBPyConnection) -> None:
    text = tree.render_tree(memory_marts)
    lines = text.splitlines()
    assert lines[0].startswith("KPIツリー / KPI tree — 2026-05")
    kgi = lines.index(next(line for line in lines if "KGI 年間売上" in line))
    assert lines[kgi] == (
        "△ 注意  KGI 年間売上 (Annual revenue) [全部門]  実績 9500万円 / 目標 1億円"
        "  達成率 95.0%  (判定 2026-05 年度累計)"
    )
    assert (
        lines[kgi + 1]
        == "└─ × 未達  KSF 新規顧客獲得 (New customer acquisition) [マーケ・IS・営業]  KPI達成 1/2"
    )
    assert lines[kgi + 2] == (
        "   ├─ ◎ 達成  KPI 月間MQL獲得数 (Monthly MQLs) [マーケ]  実績 210 / 目標 200  達成率 105.0%"
        "  (判定 2026-05 月次)"
    )
    assert lines[kgi + 3] == (
        "   └─ × 未達  KPI 商談化率 (MQL to opportunity rate) [IS]  実績 20.0% / 目標 30.0%"
        "  達成率 66.7%  (判定 2026-04 月次・最新の成熟月)"
    )
    assert text.count("KGI 年間売上") == 1, "only the latest period is shown"
    first_priority = lines[lines.index(next(line for line in lines if line.startswith("改善優先順位"))) + 1]
    assert first_priority == (
        "  1. × 未達  商談化率 (MQL to opportunity rate) [IS]  20.0% → 30.0%  1.5億円/年 (ファネル)"
    )


def test_tree_command_without_warehouse_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tree.main(["--path", str(tmp_path / "missing.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_tree_command_without_the_mart_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert tree.main(["--path", str(empty)]) == 2
    assert "table 'kpi_tree' is not in the warehouse" in capsys.readouterr().err


def test_alerts_are_printed_without_webhook(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert alerts.main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "KPIアラート / KPI alerts — 2026-05: 2件"
    # error severity first, then by priority
    assert out[1] == (
        "  - 年間売上 (Annual revenue) [全部門] △ 注意: 実績 9500万円 / 目標 1億円, "
        "差異 -500万円, 重要度 重大, 判定 2026-05"
    )
    assert out[2] == (
        "  - 商談化率 (MQL to opportunity rate) [IS] × 未達: 実績 20.0% / 目標 30.0%, "
        "差異 -10.0pt, 重要度 警告, 判定 2026-04・最新の成熟月"
    )


class RecordingServer(HTTPServer):
    """A local webhook: records each POST (content type, body) and answers with `status`."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.bodies: list[tuple[str, bytes]] = []
        self.status = 200
        self.first_statuses: list[int] = []  # answered before `status`, one per POST


class _RecordingHandler(BaseHTTPRequestHandler):
    server: RecordingServer

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.bodies.append((self.headers["Content-Type"], self.rfile.read(length)))
        status = self.server.first_statuses.pop(0) if self.server.first_statuses else self.server.status
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"invalid_payload")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture()
def webhook_server() -> Iterator[RecordingServer]:
    server = RecordingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def webhook_url(server: RecordingServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/hooks/kpi"


def test_alerts_are_posted_as_a_slack_message(
    published: Path,
    webhook_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(alerts.WEBHOOK_ENV, webhook_url(webhook_server))
    assert alerts.main([]) == 0
    assert "posted 2 alert(s) to the webhook (HTTP 200)" in capsys.readouterr().out
    [(content_type, body)] = webhook_server.bodies
    assert content_type.startswith("application/json")
    message = json.loads(body.decode("utf-8"))
    assert message["text"] == "KPIアラート / KPI alerts — 2026-05: 2件"
    assert [block["type"] for block in message["blocks"]] == ["header", "section", "section", "context"]
    assert "年間売上" in message["blocks"][1]["text"]["text"]
    assert "商談化率" in message["blocks"][2]["text"]["text"]


def test_webhook_http_error_is_reported(
    published: Path,
    webhook_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    webhook_server.status = 500
    monkeypatch.setenv(alerts.WEBHOOK_ENV, webhook_url(webhook_server))
    assert alerts.main([]) == 1
    err = capsys.readouterr().err
    assert "webhook answered HTTP 500" in err and "invalid_payload" in err
    assert "Traceback" not in err


def test_unreachable_webhook_is_reported(
    published: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = RecordingServer()
    port = server.server_address[1]
    server.server_close()  # nothing listens on this port any more
    monkeypatch.setenv(alerts.WEBHOOK_ENV, f"http://127.0.0.1:{port}/")
    assert alerts.main(["--timeout", "2"]) == 1
    assert "webhook could not be reached" in capsys.readouterr().err


def test_alerts_message_has_one_mark_each_and_links_the_dashboard(
    published: Path,
    webhook_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(alerts.WEBHOOK_ENV, webhook_url(webhook_server))
    monkeypatch.setenv(alerts.DASHBOARD_URL_ENV, "https://kpi.example.co.jp/")
    assert alerts.main([]) == 0
    [(_, body)] = webhook_server.bodies
    message = json.loads(body.decode("utf-8"))
    sections = [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]
    marks = "◎△×…－"
    assert [sum(text.count(mark) for mark in marks) for text in sections] == [1, 1], sections
    assert sections[0].startswith("△ *年間売上") and sections[1].startswith("× *商談化率")
    context = message["blocks"][-1]["elements"][0]["text"]
    assert "<https://kpi.example.co.jp/priorities|" in context


def test_webhook_rate_limit_is_retried(
    published: Path,
    webhook_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    webhook_server.first_statuses = [429, 429]
    monkeypatch.setenv(alerts.WEBHOOK_ENV, webhook_url(webhook_server))
    assert alerts.main([]) == 0
    captured = capsys.readouterr()
    assert len(webhook_server.bodies) == 3
    assert "posted 2 alert(s) to the webhook (HTTP 200)" in captured.out
    assert captured.err.count("rate-limited (HTTP 429)") == 2


def test_webhook_rate_limit_gives_up_after_the_retries(
    published: Path,
    webhook_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    webhook_server.status = 429
    monkeypatch.setenv(alerts.WEBHOOK_ENV, webhook_url(webhook_server))
    assert alerts.main([]) == 1
    assert len(webhook_server.bodies) == alerts.MAX_ATTEMPTS
    assert "webhook answered HTTP 429" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url", ["hooks.slack.com/services/T000/B000/SECRETTOKEN", "ftp://x/SECRETTOKEN", "https:///SECRETTOKEN"]
)
def test_malformed_webhook_url_is_a_clear_error_that_never_shows_the_url(
    published: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(alerts.WEBHOOK_ENV, url)
    assert alerts.main([]) == 2
    captured = capsys.readouterr()
    assert "COMMON_KPI_WEBHOOK_URL is not an absolute http(s) URL" in captured.err
    assert "SECRETTOKEN" not in captured.err + captured.out
    assert "Traceback" not in captured.err


def test_webhook_errors_never_show_the_url(
    published: Path,
    webhook_server: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    webhook_server.status = 404
    monkeypatch.setenv(alerts.WEBHOOK_ENV, webhook_url(webhook_server) + "/SECRETTOKEN")
    assert alerts.main([]) == 1
    captured = capsys.readouterr()
    assert "SECRETTOKEN" not in captured.err + captured.out


@pytest.mark.parametrize("command", ["alerts", "tree", "pack", "dashboard"])
def test_readers_without_the_bi_file_say_what_to_run(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The alerts, tree, pack and dashboard read the BI file; a warehouse published without
    one (before the BI export) is not read instead."""
    import importlib

    published = tmp_path / "common_kpi.duckdb"
    with duckdb.connect(str(published)) as connection:
        create_marts(connection)
    monkeypatch.setenv("COMMON_KPI_PUBLISHED_PATH", str(published))
    monkeypatch.delenv("COMMON_KPI_BI_PATH", raising=False)
    module = {"dashboard": "common_kpi.dashboard.launch"}.get(command, f"common_kpi.{command}")
    assert importlib.import_module(module).main([]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "bi" / "common_kpi.duckdb") in err
    assert "BI file" in err and "make build" in err
