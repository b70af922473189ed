"""`common-kpi lint`: sqlfluff (dbt templater) over the models and analyses, ruff over Python."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from common_kpi import PROJECT_DIR

SQL_PATHS = ["models", "analyses"]


def _tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def run_sqlfluff(paths: list[str], fix: bool = False) -> int:
    # The dbt templater opens the profile's DuckDB file; give it a scratch file so linting
    # works on a fresh clone and never touches a build or the published warehouse.
    with tempfile.TemporaryDirectory(prefix="common_kpi_lint_") as scratch:
        env = dict(os.environ)
        env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
        env["COMMON_KPI_DUCKDB_PATH"] = str(Path(scratch) / "lint.duckdb")
        env["DBT_TARGET_PATH"] = str(Path(scratch) / "target")
        env["DBT_LOG_PATH"] = str(Path(scratch) / "logs")
        command = [_tool("sqlfluff"), "fix" if fix else "lint", *paths, "--processes", "2"]
        if not fix:
            command += ["--format", "human"]
        return subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False).returncode


def run_ruff() -> int:
    return subprocess.run([_tool("ruff"), "check", "python"], cwd=PROJECT_DIR, check=False).returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi lint", description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="let sqlfluff fix what it can")
    parser.add_argument("paths", nargs="*", default=SQL_PATHS)
    args = parser.parse_args(argv)
    failures = []
    if run_ruff() != 0:
        failures.append("ruff")
    if run_sqlfluff(args.paths, fix=args.fix) != 0:
        failures.append("sqlfluff")
    if failures:
        print(f"lint: {' and '.join(failures)} found problems (see above)", file=sys.stderr)
        return 1
    print("lint: sqlfluff and ruff are clean")
    return 0
