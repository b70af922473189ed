"""Safe publishing: a failed build never replaces the published file, readers never block it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from common_kpi import build as build_module
from common_kpi.build import BuildResult, publish, read_run_results


def _make_db(path: Path, marker: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table marker as select ? as build", [marker])


def _marker(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select build from marker").fetchone()[0]


def test_publish_replaces_file_while_a_reader_holds_the_old_one(tmp_path: Path) -> None:
    published = tmp_path / "common_kpi.duckdb"
    _make_db(published, "old")
    reader = duckdb.connect(str(published), read_only=True)
    new_build = tmp_path / "build" / "common_kpi.duckdb"
    _make_db(new_build, "new")

    publish(new_build, published)

    assert reader.execute("select build from marker").fetchone()[0] == "old"
    reader.close()
    assert _marker(published) == "new"
    assert not new_build.exists()


def test_failed_build_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    published = tmp_path / "common_kpi.duckdb"
    _make_db(published, "last good build")
    build_file = tmp_path / "build" / "common_kpi.duckdb"
    target = tmp_path / "target"

    def failing_dbt(args, *, duckdb_path, target_path=None, extra_env=None):
        _make_db(duckdb_path, "half-built")
        target_path.mkdir(parents=True, exist_ok=True)
        results = [
            {"unique_id": "model.common_kpi.fct_lead_funnel", "status": "success"},
            {"unique_id": "test.common_kpi.unique_fct_lead_funnel_person_id", "status": "fail"},
        ]
        (target_path / "run_results.json").write_text(json.dumps({"results": results}))

        class Completed:
            returncode = 1

        return Completed()

    monkeypatch.setattr(build_module, "run_dbt", failing_dbt)
    monkeypatch.setattr("common_kpi.kpi_config.compile_kpi_tree", lambda project_dir: None)
    monkeypatch.setattr("common_kpi.raw_contract.check_raw_data", lambda *a, **k: None)

    result = build_module.build(build_file=build_file, target_file=published, target_path=target)

    assert not result.is_publishable
    assert result.failed_nodes == ("test.common_kpi.unique_fct_lead_funnel_person_id",)
    assert _marker(published) == "last good build"


def test_warnings_do_not_block_publishing(tmp_path: Path) -> None:
    results = [
        {"unique_id": "test.common_kpi.kpi_meets_target_win_rate", "status": "warn"},
        {"unique_id": "model.common_kpi.kpi_tree", "status": "success"},
    ]
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    result = read_run_results(tmp_path, returncode=0)
    assert result == BuildResult(0, 0, 1, 1, (), ("test.common_kpi.kpi_meets_target_win_rate",))
    assert result.is_publishable


def test_missing_run_results_counts_as_failure(tmp_path: Path) -> None:
    assert not read_run_results(tmp_path, returncode=2).is_publishable


def _incremental_fixture(tmp_path: Path) -> tuple[Path, Path]:
    """A published file with an incremental model, a table model and a table no model makes."""
    published = tmp_path / "common_kpi.duckdb"
    with duckdb.connect(str(published)) as connection:
        connection.execute("create schema main_intermediate")
        connection.execute("create schema main_marts")
        connection.execute(
            "create table main_intermediate.int_ma_email_event_days as"
            " select * from (values ('a@example.co.jp', date '2026-10-01', 'open', 3),"
            " ('b@example.co.jp', date '2026-10-02', 'click', 1)) as t(address, activity_date, event_type, n)"
        )
        connection.execute("create table main_marts.kpi_tree as select 1 as node")
        connection.execute("create table main_marts.model_removed_from_the_project as select 1 as x")
    manifest = tmp_path / "target" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    nodes = {
        "model.common_kpi.int_ma_email_event_days": {
            "resource_type": "model",
            "schema": "main_intermediate",
            "alias": "int_ma_email_event_days",
            "config": {"materialized": "incremental"},
        },
        "model.common_kpi.kpi_tree": {
            "resource_type": "model",
            "schema": "main_marts",
            "alias": "kpi_tree",
            "config": {"materialized": "table"},
        },
    }
    manifest.write_text(json.dumps({"nodes": nodes}))
    return published, manifest


def _tables(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.execute("select schema_name || '.' || table_name from duckdb_tables()").fetchall()
    return {row[0] for row in rows}


def test_only_the_incremental_models_are_carried_into_a_new_build(tmp_path: Path) -> None:
    published, manifest = _incremental_fixture(tmp_path)
    build_file = tmp_path / "build" / "new.duckdb"
    build_file.parent.mkdir()

    copied = build_module.carry_over_incremental_models(published, build_file, manifest)

    assert copied == ["main_intermediate.int_ma_email_event_days"]
    assert _tables(build_file) == {"main_intermediate.int_ma_email_event_days"}
    with duckdb.connect(str(build_file), read_only=True) as connection:
        rows = connection.execute(
            "select * from main_intermediate.int_ma_email_event_days order by all"
        ).fetchall()
    assert [row[0] for row in rows] == ["a@example.co.jp", "b@example.co.jp"]
    # the first build (no manifest yet) starts empty
    other = tmp_path / "build" / "first.duckdb"
    assert build_module.carry_over_incremental_models(published, other, tmp_path / "none.json") == []


@pytest.mark.parametrize(("dbt_args", "carried"), [([], True), (["--full-refresh"], False)])
def test_a_complete_build_continues_the_incremental_models_unless_full_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dbt_args: list[str], carried: bool
) -> None:
    published, manifest = _incremental_fixture(tmp_path)
    seen: dict[str, set[str]] = {}

    def recording_dbt(args, *, duckdb_path, target_path=None, extra_env=None):
        seen["tables"] = _tables(duckdb_path) if duckdb_path.exists() else set()
        target_path.mkdir(parents=True, exist_ok=True)
        (target_path / "run_results.json").write_text(json.dumps({"results": []}))

        class Completed:
            returncode = 1

        return Completed()

    monkeypatch.setattr(build_module, "run_dbt", recording_dbt)
    monkeypatch.setattr("common_kpi.kpi_config.compile_kpi_tree", lambda project_dir: None)
    monkeypatch.setattr("common_kpi.source_mapping.compile_source_mapping", lambda project_dir: None)
    monkeypatch.setattr("common_kpi.raw_contract.check_raw_data", lambda *a, **k: None)

    build_module.build(
        build_file=tmp_path / "build" / "new.duckdb",
        target_file=published,
        target_path=manifest.parent,
        dbt_args=dbt_args,
    )

    expected = {"main_intermediate.int_ma_email_event_days"} if carried else set()
    assert seen["tables"] == expected
