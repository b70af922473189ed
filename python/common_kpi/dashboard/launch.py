"""`common-kpi dashboard`: start the Streamlit dashboard on the published BI file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from common_kpi.dashboard.warehouse import bi_missing_message, bi_path

APP = Path(__file__).with_name("app.py")
DEFAULT_PORT = 8501


def streamlit_command(port: int, address: str) -> list[str]:
    """The `streamlit run` command line: headless, no telemetry, no file watcher."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8501)")
    parser.add_argument("--address", default="localhost", help="address to listen on (default localhost)")
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="the BI file it reads (default $COMMON_KPI_BI_PATH, else warehouse/bi/common_kpi.duckdb)",
    )
    args = parser.parse_args(argv)
    warehouse = (args.warehouse or bi_path()).resolve()
    if not warehouse.is_file():
        print(f"common-kpi dashboard: {bi_missing_message(warehouse)}", file=sys.stderr)
        return 2
    env = dict(os.environ, COMMON_KPI_BI_PATH=str(warehouse))
    print(f"Dashboard on http://{args.address}:{args.port} reading {warehouse} (Ctrl+C to stop)", flush=True)
    # Replace this process with Streamlit (no child left behind): stopping `common-kpi
    # dashboard` (Ctrl+C, SIGTERM from a test fixture or a supervisor) stops the server itself.
    command = streamlit_command(args.port, args.address)
    os.execve(command[0], command, env)
    return 0  # not reached: execve only returns by raising OSError
