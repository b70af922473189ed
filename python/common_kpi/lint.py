"""`common-kpi lint`: sqlfluff (dbt templater) over the models and analyses, ruff over Python.

`common-kpi lint` (`make lint`) lints every SQL file: the dbt templater compiles each one, which
takes minutes. `common-kpi lint --changed` lints only the SQL files changed since the base
(`changed_sql_paths`), with the same templater and rules; `make test` runs that through
python/tests/test_lint.py on the session's demo build. Standalone it compiles against a copy
of the published warehouse (`make build` first).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common_kpi import PROJECT_DIR

SQL_PATHS = ["models", "analyses"]


def _tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def run_sqlfluff(paths: list[str], fix: bool = False, warehouse: Path | None = None) -> int:
    """Lint (or fix) SQL with the dbt templater, on a scratch copy of `warehouse`.

    A few models size their date spines with a query at compile time (dbt.date_spine on
    bounds read from reporting_period), so the templater needs a built warehouse to compile
    them; it gets a scratch copy, never the file itself, so linting works on a fresh clone
    and never touches a build or the published warehouse.
    """
    with tempfile.TemporaryDirectory(prefix="common_kpi_lint_") as scratch:
        scratch_db = Path(scratch) / "lint.duckdb"
        if warehouse is not None and warehouse.exists():
            shutil.copy2(warehouse, scratch_db)
        env = dict(os.environ)
        env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
        env["COMMON_KPI_DUCKDB_PATH"] = str(scratch_db)
        env["DBT_TARGET_PATH"] = str(Path(scratch) / "target")
        env["DBT_LOG_PATH"] = str(Path(scratch) / "logs")
        command = [_tool("sqlfluff"), "fix" if fix else "lint", *paths, "--processes", "2"]
        if not fix:
            command += ["--format", "human"]
        completed = subprocess.run(
            command, cwd=PROJECT_DIR, env=env, check=False, capture_output=True, text=True
        )
    print(completed.stdout, end="")
    print(completed.stderr, end="", file=sys.stderr)
    # a model disabled by its config (the ground-truth models without ground truth) is not a
    # file sqlfluff failed to compile
    skipped = [
        line
        for line in completed.stderr.splitlines()
        if "Skipped file" in line and "because it is disabled" not in line
    ]
    if skipped:
        print(f"lint: {len(skipped)} file(s) could not be compiled and were not linted", file=sys.stderr)
        return 1
    return completed.returncode


def _git(*args: str, cwd: Path = PROJECT_DIR) -> str | None:
    completed = subprocess.run(["git", *args], cwd=cwd, check=False, capture_output=True, text=True)
    return completed.stdout.strip() if completed.returncode == 0 else None


def lint_base(base: str | None = None, project_dir: Path = PROJECT_DIR) -> str | None:
    """The commit SQL changes are counted from: `base` (or COMMON_KPI_LINT_BASE) when given;
    else the merge base with `main` on a branch; else, on main itself (a fresh clone in CI),
    the first parent of HEAD, so that the files the last commit or merge brought in are
    linted. None when git or that commit is not there."""
    base = base or os.environ.get("COMMON_KPI_LINT_BASE")
    if base:
        return _git("rev-parse", "--verify", f"{base}^{{commit}}", cwd=project_dir)
    head = _git("rev-parse", "HEAD", cwd=project_dir)
    if head is None:
        return None
    merge_base = _git("merge-base", "HEAD", "main", cwd=project_dir)
    if merge_base and merge_base != head:
        return merge_base
    return _git("rev-parse", "--verify", "HEAD^1^{commit}", cwd=project_dir)


def changed_sql_paths(base: str | None = None, project_dir: Path = PROJECT_DIR) -> list[str] | None:
    """SQL files under SQL_PATHS added or modified since lint_base (committed, staged,
    unstaged or untracked) that still exist; None when there is no base (lint everything)."""
    commit = lint_base(base, project_dir)
    if commit is None:
        return None
    diff = _git("diff", "--name-only", "--diff-filter=AMR", commit, "--", *SQL_PATHS, cwd=project_dir)
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", *SQL_PATHS, cwd=project_dir)
    names = set((diff or "").splitlines()) | set((untracked or "").splitlines())
    return sorted(name for name in names if name.endswith(".sql") and (project_dir / name).is_file())


def run_ruff() -> int:
    return subprocess.run([_tool("ruff"), "check", "python"], cwd=PROJECT_DIR, check=False).returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi lint", description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="let sqlfluff fix what it can")
    parser.add_argument(
        "--changed", action="store_true", help="lint only the SQL files changed since --base (see lint_base)"
    )
    parser.add_argument("--base", default=None, help="git commit or branch --changed counts from")
    parser.add_argument("paths", nargs="*", default=SQL_PATHS)
    args = parser.parse_args(argv)
    from common_kpi.build import published_path

    paths = args.paths
    if args.changed:
        changed = changed_sql_paths(args.base)
        if changed is None:
            print("lint: no git base found, linting every SQL file", file=sys.stderr)
        else:
            print(f"lint: {len(changed)} SQL file(s) changed since {lint_base(args.base)}")
            paths = changed
    failures = []
    if run_ruff() != 0:
        failures.append("ruff")
    if paths and run_sqlfluff(paths, fix=args.fix, warehouse=published_path()) != 0:
        failures.append("sqlfluff")
    if failures:
        print(f"lint: {' and '.join(failures)} found problems (see above)", file=sys.stderr)
        return 1
    print("lint: sqlfluff and ruff are clean")
    return 0
