"""Browser test harness for the dashboard: a Streamlit server and a headless Chromium.

The server is `common-kpi dashboard` on a free loopback port against a given warehouse; the
browser is Debian's /usr/bin/chromium driven by the pinned Python playwright (never
`playwright install`, which downloads a browser). Shared by the dashboard tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page

from common_kpi import PROJECT_DIR

CHROMIUM = Path(os.environ.get("COMMON_KPI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_DIR / "artifacts" / "screenshots"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    """Poll Streamlit's health endpoint until it answers ok, or fail with the server log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200 and response.read().strip() == b"ok":
                return
        time.sleep(0.5)
    raise TimeoutError(f"streamlit at {url} not healthy after {timeout:.0f}s")


@contextlib.contextmanager
def dashboard_server(warehouse: Path, log_file: Path) -> Iterator[str]:
    """Run the dashboard on a free loopback port against the BI file `warehouse`; yield its
    base URL."""
    port = free_port()
    env = dict(os.environ, COMMON_KPI_BI_PATH=str(warehouse))
    command = [
        sys.executable,
        "-m",
        "common_kpi.cli",
        "dashboard",
        "--port",
        str(port),
        "--address",
        "127.0.0.1",
        "--warehouse",
        str(warehouse),
    ]
    with log_file.open("wb") as log:
        # Own process group: teardown stops the server and anything it started, and only that.
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_DIR, start_new_session=True
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def script_run(page: Page) -> str | None:
    """The id of the app's last complete script run on this page (None before the first)."""
    marker = page.locator("[data-ck-ready]")
    return marker.first.get_attribute("data-ck-ready") if marker.count() else None


def wait_until_idle(page: Page, after_run: str | None = None, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has run the page's script to the end, after `after_run`.

    Every page starts with `st.title`, so an `h1` in the main area means the script has run
    far enough; the app's last element (`data-ck-ready`, a new id per script run) means it ran
    to the end. After a click, pass the run id read before it (`script_run`): the old page
    keeps its marker until the rerun or the next page replaces it. Then the "running" status
    widget and any loading skeleton must stay away for 0.3 s.
    """
    page.wait_for_selector("[data-testid='stMain'] h1", state="visible", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    while script_run(page) in (None, after_run):
        if time.monotonic() > deadline:
            raise TimeoutError(f"Streamlit never finished a script run after run {after_run}")
        page.wait_for_timeout(50)
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        running = page.locator("[data-testid='stStatusWidget']").count() > 0
        skeleton = page.locator("[data-testid='stSkeleton']").count() > 0
        if running or skeleton:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.3:
            return
        page.wait_for_timeout(50)
    raise TimeoutError("Streamlit kept running")


def warehouse_under_test(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """The published warehouse and the dbt target folder (with semantic_manifest.json) to test.

    By default the session's `built_warehouse` (a full demo build; its target folder is beside
    it). To iterate on the dashboard without rebuilding, point COMMON_KPI_TEST_PUBLISHED_PATH
    at a published DuckDB file and COMMON_KPI_TEST_TARGET_PATH at the target folder of the
    build that made it.
    """
    published = os.environ.get("COMMON_KPI_TEST_PUBLISHED_PATH")
    if published:
        target = os.environ.get("COMMON_KPI_TEST_TARGET_PATH", str(PROJECT_DIR / "target"))
        return Path(published), Path(target)
    built: Path = request.getfixturevalue("built_warehouse")
    return built, built.parent / "target"


@dataclass(frozen=True)
class Marker:
    """One `data-ck-field` figure and where it sits (table, row, tree node)."""

    table: str | None
    row: str | None
    node: str | None
    field: str
    value: str
    text: str


class _MarkerParser(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "polyline", "path", "rect"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.open_fields: list[tuple[int, dict[str, str], list[str]]] = []
        self.markers: list[Marker] = []

    def _context(self, key: str) -> str | None:
        for _, attrs in reversed(self.stack):
            if key in attrs:
                return attrs[key]
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in self.VOID:
            return
        self.stack.append((tag, values))
        if "data-ck-field" in values:
            self.open_fields.append((len(self.stack), values, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.stack:
            return
        depth = len(self.stack)
        if self.open_fields and self.open_fields[-1][0] == depth:
            _, values, texts = self.open_fields.pop()
            self.markers.append(
                Marker(
                    table=self._context("data-ck-table"),
                    row=self._context("data-ck-row"),
                    node=self._context("data-ck-node"),
                    field=values["data-ck-field"],
                    value=values.get("data-ck-value", ""),
                    text="".join(texts).strip(),
                )
            )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, _, texts in self.open_fields:
            texts.append(data)


def ck_markers(html: str) -> list[Marker]:
    """Every `data-ck-field` figure of an HTML document, with its table, row and node."""
    parser = _MarkerParser()
    parser.feed(html)
    parser.close()
    return parser.markers


def as_float(value: str) -> float | None:
    return None if value == "" else float(value)
