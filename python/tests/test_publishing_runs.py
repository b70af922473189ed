"""How a build is run: two builds at once, a cancelled build, kill -9, a partial build, a reader
polling during a build, a read-write client holding the published file.

dbt itself is replaced by a small fake (`fake_dbt.py` written below) that writes a DuckDB file
and run_results.json like dbt does, sleeping as long as a test needs: these tests are about
the runner around dbt, and cost seconds instead of full builds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from common_kpi import build as build_module
from common_kpi.warehouse_access import WarehouseLockedError, connect_read_only

FAKE_DBT = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    import duckdb
    path = Path(os.environ["COMMON_KPI_DUCKDB_PATH"])
    rows = int(os.environ.get("FAKE_DBT_ROWS", "500"))
    with duckdb.connect(str(path)) as c:
        c.execute("create schema if not exists main_marts")
        marker = os.environ.get("FAKE_DBT_MARKER", "new")
        c.execute("create or replace table main_marts.marker as select ? as build", [marker])
        c.execute(
            "create or replace table main_marts.fct_contracts as "
            f"select range as contract_id from range({rows})"
        )
    Path(os.environ["FAKE_DBT_STARTED"]).write_text(str(os.getpid()))
    if os.environ.get("FAKE_DBT_SUICIDE"):
        os.kill(os.getpid(), 9)
    time.sleep(float(os.environ.get("FAKE_DBT_SLEEP", "0")))
    target = Path(os.environ["DBT_TARGET_PATH"])
    target.mkdir(parents=True, exist_ok=True)
    results = [{"unique_id": "model.common_kpi.marker", "status": "success"}]
    (target / "run_results.json").write_text(json.dumps({"results": results}))
    """
)

RUNNER = textwrap.dedent(
    """
    import sys
    import common_kpi.build as b
    import common_kpi.kpi_config, common_kpi.raw_contract, common_kpi.source_mapping
    b.dbt_executable = lambda: sys.argv[1]
    common_kpi.kpi_config.compile_kpi_tree = lambda project_dir: None
    common_kpi.raw_contract.check_raw_data = lambda *a, **k: None
    common_kpi.source_mapping.compile_source_mapping = lambda project_dir: None
    sys.exit(b.main(["--no-tree", *sys.argv[2:]]))
    """
)


def _make_db(path: Path, marker: str, rows: int = 500) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema if not exists main_marts")
        connection.execute("create table main_marts.marker as select ? as build", [marker])
        connection.execute(
            f"create table main_marts.fct_contracts as select range as contract_id from range({rows})"
        )


def _marker(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select build from main_marts.marker").fetchone()[0]


class Runs:
    """A sandbox: published file, build folder, target folder, and the fake dbt."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.published = root / "warehouse" / "common_kpi.duckdb"
        self.build_dir = root / "warehouse" / "build"
        self.started = root / "started"
        fake = root / "fake_dbt"
        fake.write_text(f"#!{sys.executable}\n{FAKE_DBT}", encoding="utf-8")
        fake.chmod(0o755)
        self.fake = fake
        runner = root / "runner.py"
        runner.write_text(RUNNER, encoding="utf-8")
        self.runner = runner

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "COMMON_KPI_PUBLISHED_PATH": str(self.published),
                "COMMON_KPI_BUILD_DIR": str(self.build_dir),
                "COMMON_KPI_BI_PATH": str(self.root / "warehouse" / "bi" / "marts.duckdb"),
                "DBT_TARGET_PATH": str(self.root / "target"),
                "FAKE_DBT_STARTED": str(self.started),
            }
        )
        env.update(extra)
        return env

    def start(self, *args: str, **extra: str) -> subprocess.Popen[str]:
        self.started.unlink(missing_ok=True)
        return subprocess.Popen(
            [sys.executable, str(self.runner), str(self.fake), *args],
            env=self.env(**extra),
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        process = self.start(*args, **extra)
        stdout, stderr = process.communicate(timeout=120)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def wait_started(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.started.exists():
            assert time.monotonic() < deadline, "the fake dbt never started"
            time.sleep(0.05)

    def build_files(self) -> list[str]:
        return sorted(path.name for path in self.build_dir.glob("*")) if self.build_dir.exists() else []


@pytest.fixture()
def runs(tmp_path: Path) -> Runs:
    sandbox = Runs(tmp_path)
    _make_db(sandbox.published, "last good build")
    return sandbox


class Reader(threading.Thread):
    """A BI tool polling the published file read-only, counting the queries that failed."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.ok, self.errors, self.stop = path, 0, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with duckdb.connect(str(self.path), read_only=True) as connection:
                    connection.execute("select count(*) from main_marts.fct_contracts").fetchone()
                self.ok += 1
            except Exception as error:
                self.errors.append(str(error))
            time.sleep(0.02)


def test_two_builds_at_once_the_second_waits_and_a_cancelled_build_leaves_the_published_file(
    runs: Runs,
) -> None:
    before = runs.published.read_bytes()
    reader = Reader(runs.published)
    reader.start()
    first = runs.start(FAKE_DBT_SLEEP="60")
    runs.wait_started()
    first_files = runs.build_files()

    second = runs.run()

    assert second.returncode == 3, second.stderr
    assert "another build of" in second.stderr and f"pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    assert runs.build_files() == first_files, "the second build touched the first one's file"

    first.send_signal(signal.SIGTERM)
    _, stderr = first.communicate(timeout=60)
    assert first.returncode == 130, stderr
    assert "cancelled by signal 15 (SIGTERM)" in stderr and "left unchanged" in stderr
    assert runs.published.read_bytes() == before
    assert runs.build_files() == []

    third = runs.run(FAKE_DBT_MARKER="third", FAKE_DBT_SLEEP="0.5")
    reader.stop.set()
    reader.join()
    assert third.returncode == 0, third.stderr
    assert "did not finish" not in third.stderr, "a cancelled build cleaned up: not reported as killed"
    assert _marker(runs.published) == "third"
    assert reader.ok > 10 and reader.errors == []


def test_kill_9_of_the_runner_is_reported_by_the_next_build(runs: Runs) -> None:
    before = runs.published.read_bytes()
    killed = runs.start(FAKE_DBT_SLEEP="60")
    runs.wait_started()
    dbt_pid = int(runs.started.read_text())
    killed.kill()
    killed.wait(timeout=30)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{dbt_pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the fake dbt dies with its runner (PR_SET_PDEATHSIG)
    assert runs.published.read_bytes() == before

    after = runs.run(FAKE_DBT_MARKER="after")

    assert after.returncode == 0, after.stderr
    assert f"the previous build (pid {killed.pid}" in after.stderr and "did not finish" in after.stderr
    assert "removed 1 file(s) an earlier build left" in after.stderr
    assert _marker(runs.published) == "after"


def test_dbt_killed_by_sigkill_is_not_reported_as_zero_errors(runs: Runs) -> None:
    before = runs.published.read_bytes()
    # A stale run_results.json from an earlier run must not be read as this run's result.
    (runs.root / "target").mkdir()
    (runs.root / "target" / "run_results.json").write_text(json.dumps({"results": []}))

    result = runs.run(FAKE_DBT_SUICIDE="1")

    assert result.returncode == 1
    assert "Build did NOT finish" in result.stderr
    assert "dbt was killed by signal 9 (SIGKILL)" in result.stderr
    assert "0 error(s)" not in result.stderr
    assert runs.published.read_bytes() == before


def test_partial_build_goes_to_its_own_file_and_is_never_published(runs: Runs) -> None:
    before = runs.published.read_bytes()

    result = runs.run("--select", "kpi_tree", FAKE_DBT_MARKER="partial")

    assert result.returncode == 0, result.stderr
    assert "partial builds are never published" in result.stderr
    assert runs.published.read_bytes() == before
    partial = runs.published.parent / "partial" / runs.published.name
    assert _marker(partial) == "partial"
    assert build_module.is_partial(["-s", "x"]) and build_module.is_partial(["--exclude=x"])
    assert not build_module.is_partial(["--vars", "{a: 1}", "--full-refresh"])
    # Leaving out unit tests still builds and tests every model: a complete build.
    assert not build_module.is_partial(["--exclude", "resource_type:unit_test"])
    assert not build_module.is_partial(["--exclude-resource-type", "unit_test", "--vars", "{a: 1}"])
    assert build_module.is_partial(["--exclude", "resource_type:unit_test", "fct_contracts"])
    assert build_module.is_partial(["--exclude-resource-type", "test"])


def test_read_write_client_gives_a_message_not_a_traceback(runs: Runs) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "time.sleep(60)",
            str(runs.published),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseLockedError) as caught:
            connect_read_only(runs.published)
        assert f"(PID {holder.pid})" in str(caught.value) and "read_only=True" in str(caught.value)

        result = runs.run(FAKE_DBT_MARKER="blocked")

        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "held read-write by" in result.stderr and "open it read-only" in result.stderr
        tree = subprocess.run(
            [sys.executable, "-m", "common_kpi", "tree", "--path", str(runs.published)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert tree.returncode == 2 and "Traceback" not in tree.stderr
        assert "open it read-only" in tree.stderr
    finally:
        holder.kill()
        holder.wait()
    assert _marker(runs.published) == "last good build"


def test_volume_drop_is_refused_unless_accepted(runs: Runs) -> None:
    refused = runs.run(FAKE_DBT_ROWS="0", FAKE_DBT_MARKER="empty contracts")

    assert refused.returncode == 1
    assert "main_marts.fct_contracts: 500 → 0 rows (-100%): the table is empty now" in refused.stdout
    assert "--accept-changes" in refused.stderr
    assert _marker(runs.published) == "last good build"

    accepted = runs.run("--accept-changes", FAKE_DBT_ROWS="0", FAKE_DBT_MARKER="empty contracts")

    assert accepted.returncode == 0, accepted.stderr
    assert _marker(runs.published) == "empty contracts"
