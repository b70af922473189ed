"""sqlfluff (dbt templater, dialect duckdb) over the SQL files changed since the lint base
(common_kpi.lint.lint_base: the merge base with main on a branch, the last commit or merge
on main), and ruff over Python. `make lint` lints every SQL file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from common_kpi.lint import SQL_PATHS, changed_sql_paths, run_ruff, run_sqlfluff


def test_python_is_ruff_clean() -> None:
    assert run_ruff() == 0


@pytest.mark.slow
def test_changed_sql_is_sqlfluff_clean(built_warehouse: Path) -> None:
    changed = changed_sql_paths()
    paths = SQL_PATHS if changed is None else changed
    if not paths:
        pytest.skip("no SQL file changed since the lint base")
    assert run_sqlfluff(paths, warehouse=built_warehouse) == 0


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


def test_changed_sql_paths_against_main_and_on_main(tmp_path: Path) -> None:
    """On a branch: SQL files under models/ and analyses/ changed since the merge base with
    main, committed or not; a YAML file, a file outside those folders and a file changed
    only on main are not listed. On main: the files of the last commit."""
    repo = tmp_path / "repo"
    (repo / "models").mkdir(parents=True)
    (repo / "analyses").mkdir()
    (repo / "models" / "old.sql").write_text("select 1 as one\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    _git(repo, "checkout", "-qb", "feature")
    (repo / "models" / "branch.sql").write_text("select 2 as two\n")
    (repo / "models" / "branch.yml").write_text("version: 2\n")
    (repo / "top.sql").write_text("select 3 as three\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "branch work")
    (repo / "analyses" / "untracked.sql").write_text("select 4 as four\n")
    _git(repo, "checkout", "-q", "main")
    (repo / "models" / "main_only.sql").write_text("select 5 as five\n")
    _git(repo, "add", "models/main_only.sql")
    _git(repo, "commit", "-qm", "main work")
    assert changed_sql_paths(project_dir=repo) == ["analyses/untracked.sql", "models/main_only.sql"]
    _git(repo, "checkout", "-q", "feature")
    assert changed_sql_paths(project_dir=repo) == ["analyses/untracked.sql", "models/branch.sql"]
