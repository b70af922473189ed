"""Rebuilding on the same input gives identical marts, row for row (order-independent).

The second build runs the models only: the session build already ran every data and unit
test on the same input, and running them twice would double the cost of this test for no
new check. Such a build is partial (tests excluded), so it is written to its own file and
never published: the test reads that file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from common_kpi.build import build


@pytest.mark.slow
def test_a_second_build_on_the_same_input_gives_identical_marts(
    built_warehouse: Path, demo_raw_path: Path, tmp_path: Path
) -> None:
    os.environ["COMMON_KPI_RAW_PATH"] = str(demo_raw_path)
    result = build(
        build_file=tmp_path / "build" / built_warehouse.name,
        target_file=tmp_path / "published" / built_warehouse.name,
        target_path=tmp_path / "target",
        dbt_args=["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
    )
    assert result.is_publishable, result.failed_nodes
    second_build = result.build_file
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    marts = sorted(
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
        and node["config"]["materialized"] in {"table", "incremental"}
    )
    assert marts, "no mart tables in the manifest"

    differences = []
    with duckdb.connect() as connection:
        connection.execute(f"attach '{built_warehouse}' as first_build (read_only)")
        connection.execute(f"attach '{second_build}' as second_build (read_only)")
        for schema, table in marts:
            first, second = f'first_build."{schema}"."{table}"', f'second_build."{schema}"."{table}"'
            counts = connection.execute(
                f"select (select count(*) from {first}), (select count(*) from {second}), "
                f"(select count(*) from (select * from {first} except all select * from {second})), "
                f"(select count(*) from (select * from {second} except all select * from {first}))"
            ).fetchone()
            if counts[2] or counts[3] or counts[0] != counts[1]:
                columns = [row[0] for row in connection.execute(f"describe select * from {first}").fetchall()]
                differing = [
                    column
                    for column in columns
                    if connection.execute(
                        f'select count(*) from (select "{column}" from {first} '
                        f'except all select "{column}" from {second})'
                    ).fetchone()[0]
                ]
                differences.append(
                    f"{schema}.{table}: rows {counts[0]} vs {counts[1]}, {counts[2]} differ; "
                    f"columns that differ: {differing}"
                )
    print(f"rebuild: {len(marts)} mart tables compared")
    assert not differences, "\n".join(differences)
