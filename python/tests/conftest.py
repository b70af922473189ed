"""Shared fixtures: the demo raw data and one warehouse built from it for the whole session.

`make test` runs the tests on two workers (pytest-xdist, `--dist loadgroup`): every test that
reads the session's demo warehouse is put in one group, so that the warehouse is built once,
on one worker, while the other worker runs the tests that build their own data sets.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from common_kpi import PROJECT_DIR

DEMO_RAW = PROJECT_DIR / "data" / "raw" / "demo"


# Fixtures that lead to the session's demo build (warehouse_under_test asks for it at run time).
DEMO_WAREHOUSE_FIXTURES = {"built_warehouse", "warehouse", "warehouse_under_test"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if DEMO_WAREHOUSE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("demo_warehouse"))


@pytest.fixture(scope="session")
def demo_raw_path() -> Path:
    """The demo data set (scale 1, seed 42), generated once if `make data` has not run."""
    if not (DEMO_RAW / "_manifest.json").exists():
        from common_kpi.generator.cli import main as generate

        assert generate(["--scale", "1", "--out", str(DEMO_RAW)]) == 0
    return DEMO_RAW


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory, demo_raw_path: Path) -> Path:
    """The published DuckDB file of one full `dbt build` on the demo data."""
    from common_kpi.build import build

    work = tmp_path_factory.mktemp("warehouse")
    os.environ["COMMON_KPI_RAW_PATH"] = str(demo_raw_path)
    os.environ["COMMON_KPI_RAW_FORMAT"] = "csv"
    result = build(
        build_file=work / "build" / "common_kpi.duckdb",
        target_file=work / "common_kpi.duckdb",
        target_path=work / "target",
    )
    assert result.is_publishable, f"demo build failed: {result.failed_nodes}"
    return work / "common_kpi.duckdb"


@pytest.fixture()
def warehouse(built_warehouse: Path):
    """A read-only connection to the demo warehouse, as a BI tool opens it."""
    import duckdb

    connection = duckdb.connect(str(built_warehouse), read_only=True)
    yield connection
    connection.close()
