"""Shared fixtures: the demo raw data and one warehouse built from it for the whole session.

`make test` runs the tests on two workers (pytest-xdist, `--dist loadfile
--no-loadscope-reorder`): each test file runs on one worker, so a module's own build is made
once, and the files are handed out longest first (pytest_collection_modifyitems). The demo
build is shared by the workers (built once, under a file lock), so a second reader of it costs
no second build. (`--dist loadgroup` is not used: with pytest 9 its groups are silently
ignored, since pytest-xdist 3.8 renames the test ids through an attribute pytest 9 no longer
reads.)
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


# Files handed to the two workers first, longest first (xdist --dist loadfile
# --no-loadscope-reorder gives each file to the next free worker, in collection order): the
# cross-engine comparison on one worker while the other builds the demo (a file that reads
# the demo warehouse: built once, under a file lock, shared), then the files that take over a
# minute (timed from a fresh clone, 2026-12-02), so that both workers end together.
FIRST_FILES = (
    "test_engines.py",
    "test_abm_demo.py",
    "test_dashboard_browser.py",
    "test_standard_org_build.py",
    "test_raw_corpus.py",
    "test_incremental.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the test files: FIRST_FILES, then the other files with slow tests, then the rest."""
    slow_files = {item.path.name for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> tuple[int, int]:
        name = item.path.name
        if name in FIRST_FILES:
            return (0, FIRST_FILES.index(name))
        return (1 if name in slow_files else 2, 0)

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
