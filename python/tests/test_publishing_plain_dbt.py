"""Plain `dbt build` in a fresh clone: it runs without `common-kpi kpi-compile`, writes the
developer file warehouse/dev.duckdb (the folder is in the repository), never touches nor locks
the published file a BI tool is polling, and stops naming the fix when kpi_tree.yml was edited
without being compiled.

Only the KPI tree seeds are built (the full build is the session fixture's job): what is
checked here is the profile, the folder, the committed generated files and the hook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from common_kpi import PROJECT_DIR

SEEDS = ("kpi_tree_nodes", "kpi_tree_settings")


def _files_a_clone_has() -> list[str]:
    """Tracked files plus new ones not ignored: what a commit of this checkout would hold."""
    if not (PROJECT_DIR / ".git").exists():
        pytest.skip("not a git checkout: cannot tell which files a fresh clone has")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (PROJECT_DIR / name).is_file()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fresh_clone") / "common-kpi"
    for name in _files_a_clone_has():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_DIR / name, root / name)
    return root


def _plain_dbt(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt as a user runs it in the clone: no DBT_PROFILES_DIR, no COMMON_KPI_DUCKDB_PATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DBT_PROFILES_DIR", "COMMON_KPI_DUCKDB_PATH", "DBT_TARGET_PATH", "DBT_LOG_PATH"}
    }
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args],
        cwd=clone,
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )


def test_plain_dbt_build_in_a_fresh_clone_writes_the_dev_file_and_never_the_published_one(
    clone: Path,
) -> None:
    assert sorted(path.name for path in (clone / "warehouse").iterdir()) == [".gitignore"]
    assert not (clone / "seeds" / "generated" / "kpi_tree_nodes.csv").is_symlink()
    published = clone / "warehouse" / "common_kpi.duckdb"
    with duckdb.connect(str(published)) as connection:
        connection.execute("create table marker as select 'published' as build")
    before = published.read_bytes()
    stop, failures, reads = threading.Event(), [], []

    def poll() -> None:
        while not stop.is_set():
            try:
                with duckdb.connect(str(published), read_only=True) as connection:
                    reads.append(connection.execute("select build from marker").fetchone()[0])
            except Exception as error:  # every failure a BI tool would see
                failures.append(str(error))
            time.sleep(0.05)

    reader = threading.Thread(target=poll, daemon=True)
    reader.start()
    built = _plain_dbt(clone, "build", "--select", *SEEDS, "--indirect-selection", "cautious")
    stop.set()
    reader.join()

    assert built.returncode == 0, built.stdout[-3000:]
    assert failures == [] and len(reads) > 10
    assert published.read_bytes() == before
    with duckdb.connect(str(clone / "warehouse" / "dev.duckdb"), read_only=True) as dev:
        (nodes,) = dev.execute("select count(*) from main_reference.kpi_tree_nodes").fetchone()
    assert nodes > 10


def test_kpi_tree_edited_without_compiling_stops_dbt_with_the_fix(clone: Path) -> None:
    tree = clone / "kpi_tree.yml"
    original = tree.read_text(encoding="utf-8")
    tree.write_text(original.replace("target:", "target:  ", 1), encoding="utf-8")
    try:
        stopped = _plain_dbt(clone, "build", "--select", *SEEDS, "--indirect-selection", "cautious")
    finally:
        tree.write_text(original, encoding="utf-8")

    assert stopped.returncode != 0
    assert "kpi_tree.yml changed since it was compiled for dbt" in stopped.stdout
    assert "Run `common-kpi kpi-compile`" in stopped.stdout
