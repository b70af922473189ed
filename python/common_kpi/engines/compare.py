"""`common-kpi engines`: build the project on DuckDB, PostgreSQL and Spark and compare the marts.

Each engine gets a full `dbt build` (every model, seed and data test; the unit tests, which
check logic rather than an engine, run on DuckDB in the pytest suite and here on PostgreSQL
too, not on Spark) of the same raw files: DuckDB into its own file, PostgreSQL into the
local server of `common-kpi postgres` (started when needed, stopped again unless it was
already running; the raw files are loaded first), Spark in a local session (raw files
registered as tables). Then the KPI tree, every KPI mart and the funnel facts are read back
from each engine and compared with DuckDB's: same columns, same rows, and every number within
1e-9 (relative for values above 1, so yen agree to far better than a yen and rates to 1e-9).

    common-kpi engines                       # the demo data, the three engines
    common-kpi engines --scale 0.1           # a small data set generated into the work folder
    common-kpi engines --engines duckdb,postgres --raw-path /data/raw/x

It prints one line per engine (build time, result) and per compared table, and exits 1 when a
build fails or a table differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common_kpi import PROJECT_DIR
from common_kpi.engines import postgres

ENGINES: tuple[str, ...] = ("duckdb", "postgres", "spark")
# The marts compared across engines: the KPI tree, the KPI marts and the funnel.
COMPARED_TABLES: tuple[str, ...] = (
    "kpi_tree",
    "kgi_monthly",
    "kpi_new_customers_monthly",
    "kpi_retention_monthly",
    "kpi_revenue_per_customer_monthly",
    "kpi_priorities",
    "kpi_alerts",
    "fct_lead_funnel",
    "fct_opportunities",
    "fct_contracts",
    "fct_customer_months",
    "fct_sla_responses",
    "fct_nps_responses",
    "fct_pl_months",
)
RELATIVE_TOLERANCE = 1e-9
# the schema each engine's marts land in (dbt: <target schema>_marts)
MARTS_SCHEMAS = {"duckdb": "main_marts", "postgres": "common_kpi_marts", "spark": "common_kpi_marts"}


@dataclass
class EngineRun:
    engine: str
    seconds: float = 0.0
    returncode: int = 0
    tables: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)


def _engine_env(engine: str, work_dir: Path, raw_path: Path, raw_format: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "COMMON_KPI_TARGET": engine,
            "COMMON_KPI_RAW_PATH": str(raw_path),
            "COMMON_KPI_RAW_FORMAT": raw_format,
            "DBT_TARGET_PATH": str(work_dir / f"target_{engine}"),
            "DBT_LOG_PATH": str(work_dir / f"logs_{engine}"),
            "COMMON_KPI_DUCKDB_PATH": str(work_dir / "duckdb" / "common_kpi.duckdb"),
            "COMMON_KPI_SPARK_DIR": str(work_dir / "spark"),
        }
    )
    # one dbt invocation per engine, and the Spark tables are read back from their Parquet
    # folders: no metastore needs to outlive the session
    env.setdefault("COMMON_KPI_SPARK_CATALOG", "in-memory")
    return env


def _executable(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def build_engine(
    engine: str, work_dir: Path, raw_path: Path, raw_format: str, threads: int, models_only: bool = False
) -> EngineRun:
    """dbt build of the whole project on one engine; output to the terminal.

    Unit tests run on PostgreSQL only: on DuckDB `make test` runs them, on Spark they are not
    proven (docs/engines.md).

    models_only: only the seeds and the models the compared marts need, no data tests (the
    quick cross-engine check of CI; the data tests run on every engine in `make test-engines`).
    """
    env = _engine_env(engine, work_dir, raw_path, raw_format)
    env["COMMON_KPI_THREADS"] = str(threads)
    (work_dir / "duckdb").mkdir(parents=True, exist_ok=True)
    run = EngineRun(engine)
    started = time.perf_counter()
    if engine == "duckdb":  # a fresh file, as `common-kpi build` makes
        (work_dir / "duckdb" / "common_kpi.duckdb").unlink(missing_ok=True)
    if engine == "postgres":
        postgres.start()
        postgres.create_database()
        postgres.load_raw(raw_path)
        postgres.create_bi_role()
    if models_only:
        command = [_executable("dbt"), "build", "--resource-type", "model", "--resource-type", "seed"]
        command += ["--select", *(f"+{table}" for table in COMPARED_TABLES)]
    else:
        command = [_executable("dbt"), "build"]
        if engine != "postgres":
            command += ["--exclude-resource-type", "unit_test"]
    if engine != "duckdb":
        # a server keeps the tables of the last build: rebuild seeds (their columns may have
        # changed) and any incremental model from scratch, as the fresh DuckDB file does
        command += ["--full-refresh"]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
    run.returncode = result.returncode
    run.seconds = time.perf_counter() - started
    return run


def _normalize(value: object) -> object:
    """One Python value per SQL value, whatever the engine's driver returned."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, decimal.Decimal | int | float):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return value


def read_tables(
    engine: str, work_dir: Path, tables: Sequence[str]
) -> dict[str, tuple[list[str], list[tuple]]]:
    """Columns (lower-case) and rows of each table, from the engine's own storage."""
    schema = MARTS_SCHEMAS[engine]
    out: dict[str, tuple[list[str], list[tuple]]] = {}
    if engine == "postgres":
        connection = postgres.connect()
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"select * from {schema}.{table}")
                columns = [column.name.lower() for column in cursor.description]
                out[table] = (columns, [tuple(_normalize(v) for v in row) for row in cursor.fetchall()])
        connection.close()
        return out
    import duckdb

    if engine == "duckdb":
        connection = duckdb.connect(str(work_dir / "duckdb" / "common_kpi.duckdb"), read_only=True)
    else:  # spark: the tables are Parquet folders under the session's warehouse directory
        connection = duckdb.connect()
    connection.execute("set timezone = 'UTC'")
    for table in tables:
        if engine == "duckdb":
            relation = f"{schema}.{table}"
        else:
            folder = work_dir / "spark" / "warehouse" / f"{schema}.db" / table
            relation = f"read_parquet('{folder}/*.parquet')"
        cursor = connection.execute(f"select * from {relation}")
        columns = [column[0].lower() for column in cursor.description]
        out[table] = (columns, [tuple(_normalize(v) for v in row) for row in cursor.fetchall()])
    connection.close()
    return out


def _sort_key(row: tuple) -> tuple:
    return tuple(
        (0, "") if value is None else (1, f"{value:.6g}" if isinstance(value, float) else str(value))
        for value in row
    )


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return abs(left - right) <= RELATIVE_TOLERANCE * max(1.0, abs(left), abs(right))
    return left == right


def compare_table(
    reference: tuple[list[str], list[tuple]], other: tuple[list[str], list[tuple]], limit: int = 5
) -> list[str]:
    """Differences between two versions of a table (empty when they agree)."""
    ref_columns, ref_rows = reference
    other_columns, other_rows = other
    if sorted(ref_columns) != sorted(other_columns):
        missing = sorted(set(ref_columns) - set(other_columns))
        extra = sorted(set(other_columns) - set(ref_columns))
        return [f"columns differ: missing {missing}, extra {extra}"]
    order = [other_columns.index(name) for name in ref_columns]
    other_rows = [tuple(row[i] for i in order) for row in other_rows]
    if len(ref_rows) != len(other_rows):
        return [f"{len(other_rows)} rows instead of {len(ref_rows)}"]
    differences: list[str] = []
    for ref_row, other_row in zip(
        sorted(ref_rows, key=_sort_key), sorted(other_rows, key=_sort_key), strict=True
    ):
        for name, left, right in zip(ref_columns, ref_row, other_row, strict=True):
            if not _same(left, right):
                differences.append(f"{name}: {left!r} != {right!r} (row {ref_row[:3]}...)")
                break
        if len(differences) >= limit:
            break
    return differences


def compare_runs(runs: Sequence[EngineRun]) -> list[str]:
    """Every difference of every engine's tables from the first engine's (DuckDB)."""
    reference = runs[0]
    problems: list[str] = []
    for run in runs[1:]:
        for table, frame in reference.tables.items():
            differences = compare_table(frame, run.tables[table])
            status = "identical" if not differences else "DIFFERS"
            print(f"  {table:<34} {run.engine:<9} {len(frame[1]):>7} rows  {status}")
            problems += [f"{run.engine}.{table}: {difference}" for difference in differences]
    return problems


def generate(raw_path: Path, scale: float, raw_format: str = "csv") -> None:
    subprocess.run(
        [
            _executable("common-kpi"),
            "generate",
            "--scale",
            str(scale),
            "--out",
            str(raw_path),
            "--format",
            raw_format,
            "--quiet",
        ],
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi engines", description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated, DuckDB first")
    parser.add_argument("--work-dir", type=Path, default=PROJECT_DIR / "warehouse" / "engines")
    parser.add_argument(
        "--raw-path", type=Path, default=None, help="default: $COMMON_KPI_RAW_PATH or the demo"
    )
    parser.add_argument("--scale", type=float, default=None, help="generate data at this scale instead")
    parser.add_argument(
        "--raw-format",
        choices=["csv", "parquet"],
        default=os.environ.get("COMMON_KPI_RAW_FORMAT", "csv"),
        help="format of the raw files (PostgreSQL loads CSV only); default $COMMON_KPI_RAW_FORMAT or csv",
    )
    parser.add_argument("--threads", type=int, default=int(os.environ.get("COMMON_KPI_THREADS", "2")))
    parser.add_argument("--keep-postgres", action="store_true", help="leave the PostgreSQL server running")
    parser.add_argument(
        "--models-only",
        action="store_true",
        help="build only the seeds and the models the compared marts need, without data tests",
    )
    parser.add_argument(
        "--skip-build", action="store_true", help="compare what the last builds in --work-dir left"
    )
    args = parser.parse_args(argv)
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown or not engines:
        print(f"engines: unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}", file=sys.stderr)
        return 2
    if args.raw_format != "csv" and "postgres" in engines:
        print("engines: PostgreSQL loads CSV raw files only (--raw-format csv)", file=sys.stderr)
        return 2
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.scale is not None:
        raw_path = work_dir / f"raw_scale_{args.scale:g}" / args.raw_format
        if not (raw_path / "_manifest.json").exists():
            generate(raw_path, args.scale, args.raw_format)
    else:
        raw_path = args.raw_path or Path(
            os.environ.get("COMMON_KPI_RAW_PATH", PROJECT_DIR / "data" / "raw" / "demo")
        )
    raw_path = raw_path.resolve()
    subprocess.run([_executable("common-kpi"), "kpi-compile"], check=True, stdout=subprocess.DEVNULL)
    runs: list[EngineRun] = []
    postgres_was_running = "postgres" in engines and postgres.is_running()
    try:
        for engine in engines:
            if args.skip_build:
                run = EngineRun(engine)
                if engine == "postgres":
                    postgres.start()
            else:
                print(f"engines: building on {engine} ({raw_path})", flush=True)
                run = build_engine(
                    engine, work_dir, raw_path, args.raw_format, args.threads, args.models_only
                )
            runs.append(run)
            if run.returncode == 0:
                run.tables = read_tables(engine, work_dir, COMPARED_TABLES)
            if engine == "postgres" and run.returncode == 0:
                bi_problems = postgres.check_bi_role()
                print(
                    f"engines: PostgreSQL role {postgres.BI_ROLE}: "
                    + ("; ".join(bi_problems) or "reads the marts, cannot write nor read staging")
                )
                if bi_problems:
                    run.returncode = 1
    finally:
        if "postgres" in engines and not (args.keep_postgres or postgres_was_running):
            postgres.stop()
    what = (
        "the seeds and models of the compared marts"
        if args.models_only
        else "every model, seed and data test; unit tests on postgres"
    )
    print(f"engines: build times (dbt build, {what})")
    for run in runs:
        status = "ok" if run.returncode == 0 else f"FAILED (dbt exit {run.returncode})"
        print(f"  {run.engine:<9} {run.seconds:7.1f} s  {status}")
    failed = [run.engine for run in runs if run.returncode != 0]
    if failed:
        print(f"engines: the build failed on {', '.join(failed)}", file=sys.stderr)
        return 1
    if len(runs) > 1:
        print(f"engines: {len(COMPARED_TABLES)} marts compared with {runs[0].engine}")
        problems = compare_runs(runs)
        if problems:
            print("engines: the engines disagree:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(f"engines: {', '.join(run.engine for run in runs)} agree on every compared mart")
    return 0


if __name__ == "__main__":
    sys.exit(main())
