"""`common-kpi lint`: sqlfluff (dbt templater) over the models and analyses, ruff over Python.

Run by `make test` through python/tests/test_lint.py on the session's demo build; standalone
it compiles against a copy of the published warehouse (`make build` first).
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
    skipped = [line for line in completed.stderr.splitlines() if "Skipped file" in line]
    if skipped:
        print(f"lint: {len(skipped)} file(s) could not be compiled and were not linted", file=sys.stderr)
        return 1
    return completed.returncode


def run_ruff() -> int:
    return subprocess.run([_tool("ruff"), "check", "python"], cwd=PROJECT_DIR, check=False).returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi lint", description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="let sqlfluff fix what it can")
    parser.add_argument("paths", nargs="*", default=SQL_PATHS)
    args = parser.parse_args(argv)
    from common_kpi.build import published_path

    failures = []
    if run_ruff() != 0:
        failures.append("ruff")
    if run_sqlfluff(args.paths, fix=args.fix, warehouse=published_path()) != 0:
        failures.append("sqlfluff")
    if failures:
        print(f"lint: {' and '.join(failures)} found problems (see above)", file=sys.stderr)
        return 1
    print("lint: sqlfluff and ruff are clean")
    return 0
