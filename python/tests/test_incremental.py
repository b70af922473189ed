"""An incremental run after one more day of data gives exactly what a full refresh gives.

Every model materialized as `incremental` (found in the manifest, so a new one is covered
without editing this test) is built in full on a copy of the demo raw data. Then the copy
gets one more day (common_kpi.bench.add_one_day, which `make bench` uses too): new MA email
events and form submissions dated the day after the latest one, late rows dated the day
before it (inside var incremental_lookback_days), and rows deleted at the source inside the
window, all the rows of some daily keys included so that a whole key disappears; the raw
events also hold one dated 2099 (quarantined: dated after its sync), which must not move
the window. The incremental run on that copy must give, model by model, the same rows (as a
multiset) as a `--full-refresh` build of the same copy into another warehouse, and must
have taken in the new, late and deleted rows.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from common_kpi import PROJECT_DIR
from common_kpi.bench import add_one_day

pytestmark = pytest.mark.slow


def _dbt(raw: Path, warehouse: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "COMMON_KPI_RAW_PATH": str(raw),
            "COMMON_KPI_RAW_FORMAT": "csv",
            "COMMON_KPI_DUCKDB_PATH": str(warehouse),
            "DBT_LOG_PATH": str(work / "logs"),
        }
    )
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args, "--target-path", str(work / "target")],
        cwd=PROJECT_DIR,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, f"dbt {' '.join(args)} failed:\n{completed.stdout[-4000:]}"
    return completed


def _build(raw: Path, warehouse: Path, work: Path, *extra: str) -> None:
    _dbt(
        raw, warehouse, work,
        "build", "--select", "+config.materialized:incremental",
        "--resource-type", "model", "--resource-type", "seed", "--quiet", *extra,
    )  # fmt: skip


def _add_event_dated_after_its_sync(path: Path) -> None:
    """One email event dated 2099 (a clock error at the source), quarantined by staging.

    The window of the staging model must start from its latest staged row: from this row's
    date it would start after the next day's rows and miss them.
    """
    with path.open(encoding="utf-8", newline="") as file:
        header = next(csv.reader(file))
    values = {
        "id": "1999999999999",
        "type": "OPEN",
        "recipient": "clock.error@example.co.jp",
        "email_campaign_id": "30000067",
        "created": "2099-01-01T00:00:00Z",
        "_fivetran_synced": "2026-11-24T18:24:17Z",
    }
    with path.open("a", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow([values.get(column, "") for column in header])


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory: pytest.TempPathFactory, demo_raw_path: Path):
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "raw"
    shutil.copytree(demo_raw_path, raw)
    _add_event_dated_after_its_sync(raw / "hubspot" / "email_event.csv")
    incremental_db = work / "incremental.duckdb"
    full_db = work / "full.duckdb"

    _build(raw, incremental_db, work)
    with duckdb.connect(str(incremental_db), read_only=True) as connection:
        before = {
            name: connection.execute(f"select count(*) from main_intermediate.{name}").fetchone()[0]
            for name in ("int_ma_email_event_days", "int_ma_form_submission_days")
        }

    changes = add_one_day(raw)
    _build(raw, incremental_db, work)
    _build(raw, full_db, work, "--full-refresh")
    manifest = json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))
    incremental_models = sorted(
        (node["schema"], node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    )
    return incremental_db, full_db, incremental_models, changes, before


def test_the_project_has_incremental_models(incremental_and_full) -> None:
    _, _, incremental_models, _, _ = incremental_and_full
    names = {name for _, name in incremental_models}
    assert {"int_ma_email_event_days", "int_ma_form_submission_days"} <= names


def test_every_incremental_model_equals_a_full_refresh(incremental_and_full) -> None:
    incremental_db, full_db, incremental_models, _, _ = incremental_and_full
    connection = duckdb.connect()
    connection.execute(f"attach '{incremental_db}' as incremental (read_only)")
    connection.execute(f"attach '{full_db}' as full_refresh (read_only)")
    differences = {}
    for schema, name in incremental_models:
        left = f"incremental.{schema}.{name}"
        right = f"full_refresh.{schema}.{name}"
        only_incremental = connection.execute(
            f"select count(*) from (select * from {left} except all select * from {right})"
        ).fetchone()[0]
        only_full = connection.execute(
            f"select count(*) from (select * from {right} except all select * from {left})"
        ).fetchone()[0]
        if only_incremental or only_full:
            differences[name] = {"only_in_incremental": only_incremental, "only_in_full_refresh": only_full}
    assert differences == {}, f"incremental run differs from a full refresh: {differences}"


def test_the_incremental_run_took_in_new_late_and_deleted_rows(incremental_and_full) -> None:
    incremental_db, _, _, changes, before = incremental_and_full
    with duckdb.connect(str(incremental_db), read_only=True) as connection:
        email = changes["hubspot/email_event"]
        next_day = (datetime.fromisoformat(email["latest_day"]) + timedelta(days=1)).date().isoformat()
        new_events = connection.execute(
            "select sum(event_count) from main_intermediate.int_ma_email_event_days where activity_date = ?",
            [next_day],
        ).fetchone()[0]
        after = connection.execute(
            "select count(*) from main_intermediate.int_ma_email_event_days"
        ).fetchone()[0]
    # the next day's events are the copies written above (those of staged rows)
    assert new_events is not None and 0 < new_events <= email["new"]
    # rows appeared and whole keys disappeared: the count moved
    assert after != before["int_ma_email_event_days"]

