"""Shared fixtures: the demo raw data and one warehouse built from it for the whole session.

`make test` runs the tests on two workers (pytest-xdist, `--dist loadgroup
--no-loadscope-reorder`): every test that reads the session's demo warehouse is put in one
group, so that one worker reads it while the other runs the tests that build their own data
sets, module by module (pytest_collection_modifyitems). The demo build itself is shared by
the workers (built once, under a file lock), so a test outside the group costs no second build.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

import pytest

from common_kpi import PROJECT_DIR

DEMO_RAW = PROJECT_DIR / "data" / "raw" / "demo"

# An xdist worker's __main__ has neither __spec__ nor __file__, which pyspark.sql.connect
# (imported by Great Expectations) takes for a doctest run without grpc: it calls
# sys.exit(0) and the worker dies. Give the worker's __main__ a file name.
if os.environ.get("PYTEST_XDIST_WORKER") and not hasattr(sys.modules["__main__"], "__file__"):
    sys.modules["__main__"].__file__ = "<pytest-xdist worker>"


# Fixtures that lead to the session's demo build (warehouse_under_test asks for it at run time).
DEMO_WAREHOUSE_FIXTURES = {"built_warehouse", "warehouse", "warehouse_under_test"}


# The longest single test: started first on the worker that does not build the demo.
LONGEST_MODULE = "test_engines.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Group the tests for the two workers and order the groups longest first.

    A test that reads the demo warehouse joins the group "demo_warehouse"; every other test
    is grouped with its module, so that a module's fixture (a build of its own data set) is
    made once, on one worker. xdist hands out the groups in collection order
    (`--no-loadscope-reorder`): the demo group, then the cross-engine test, then the modules
    with slow tests, then the rest, so that no long test starts last.
    """
    for item in items:
        marker = item.get_closest_marker("xdist_group")
        if marker is None:
            in_demo_group = DEMO_WAREHOUSE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
            group = "demo_warehouse" if in_demo_group else item.path.name
            item.add_marker(pytest.mark.xdist_group(group))
    slow_modules = {item.path.name for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> int:
        group = item.get_closest_marker("xdist_group").args[0]
        if group == "demo_warehouse":
            return 0
        if item.path.name == LONGEST_MODULE:
            return 1
        return 2 if item.path.name in slow_modules else 3

    positions = {id(item): position for position, item in enumerate(items)}
    items.sort(key=lambda item: (rank(item), positions[id(item)]))


@pytest.fixture(scope="session")
def demo_raw_path() -> Path:
    """The demo data set (scale 1, seed 42), generated once if `make data` has not run."""
    if not (DEMO_RAW / "_manifest.json").exists():
        from common_kpi.generator.cli import main as generate

        assert generate(["--scale", "1", "--out", str(DEMO_RAW)]) == 0
    return DEMO_RAW


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory, demo_raw_path: Path) -> Path:
    """The published DuckDB file of one full `dbt build` on the demo data (one per test run)."""
    from common_kpi.build import build

    if os.environ.get("PYTEST_XDIST_WORKER"):
        work = tmp_path_factory.getbasetemp().parent / "demo_warehouse"
    else:
        work = tmp_path_factory.mktemp("warehouse")
    work.mkdir(parents=True, exist_ok=True)
    os.environ["COMMON_KPI_RAW_PATH"] = str(demo_raw_path)
    os.environ["COMMON_KPI_RAW_FORMAT"] = "csv"
    with open(work.parent / f"{work.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work / "built").exists():
            result = build(
                build_file=work / "build" / "common_kpi.duckdb",
                target_file=work / "common_kpi.duckdb",
                target_path=work / "target",
            )
            assert result.is_publishable, f"demo build failed: {result.failed_nodes}"
            (work / "built").touch()
    return work / "common_kpi.duckdb"


@pytest.fixture()
def warehouse(built_warehouse: Path):
    """A read-only connection to the demo warehouse, as a BI tool opens it."""
    import duckdb

    connection = duckdb.connect(str(built_warehouse), read_only=True)
    yield connection
    connection.close()
