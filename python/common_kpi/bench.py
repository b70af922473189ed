"""`common-kpi bench`: how fast and how big, at a scale larger than the demo.

Generates a data set at `--scale` (Parquet above scale 2) into a temporary folder, then runs
the full `dbt build` on it into a temporary warehouse, and prints figures: generator seconds,
rows and peak memory, dbt build seconds and peak memory of the dbt process tree, warehouse
size, and the row counts of the main facts. It measures; it asserts nothing, because these
machines are shared and noisy. Tests never depend on these timings.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common_kpi import PROJECT_DIR
from common_kpi.generator import bench as generator_bench

FACT_TABLES = ("fct_lead_funnel", "fct_opportunities", "fct_customer_months", "kpi_tree")


def _children_peak_rss_mib() -> int:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def bench_build(raw: Path, file_format: str, work: Path, memory_limit: str) -> dict[str, object]:
    """Run the full dbt build on `raw` into `work` and return its figures."""
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "COMMON_KPI_RAW_PATH": str(raw),
            "COMMON_KPI_RAW_FORMAT": file_format,
            "COMMON_KPI_DUCKDB_PATH": str(work / "bench.duckdb"),
            "COMMON_KPI_DUCKDB_MEMORY": memory_limit,
            "DBT_TARGET_PATH": str(work / "target"),
            "DBT_LOG_PATH": str(work / "logs"),
        }
    )
    dbt = Path(sys.executable).with_name("dbt")
    started = time.perf_counter()
    completed = subprocess.run(
        [str(dbt), "build", "--exclude-resource-type", "unit_test", "--quiet"],
        cwd=PROJECT_DIR,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    figures: dict[str, object] = {
        "dbt_build_seconds": round(seconds, 1),
        "dbt_build_exit_code": completed.returncode,
        "dbt_peak_rss_mib": _children_peak_rss_mib(),
        "warehouse_mib": round((work / "bench.duckdb").stat().st_size / 2**20)
        if (work / "bench.duckdb").exists()
        else 0,
    }
    import duckdb

    if (work / "bench.duckdb").exists():
        with duckdb.connect(str(work / "bench.duckdb"), read_only=True) as connection:
            for table in FACT_TABLES:
                row = connection.execute(
                    "select table_schema from information_schema.tables where table_name = ?",
                    [table],
                ).fetchone()
                if row:
                    count = connection.execute(f'select count(*) from "{row[0]}"."{table}"').fetchone()
                    figures[f"{table}_rows"] = int(count[0])
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0, help="data scale (demo = 1)")
    parser.add_argument("--memory-limit", default="8GB", help="DuckDB memory_limit for dbt")
    parser.add_argument("--keep", type=Path, default=None, help="keep data and warehouse here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="common_kpi_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    raw = work / "raw"
    file_format = "csv" if args.scale <= 2 else "parquet"
    try:
        print(f"bench: generating scale {args.scale} ({file_format}) into {raw}", flush=True)
        figures: dict[str, object] = {
            f"generator_{key}": value
            for key, value in generator_bench.run(args.scale, file_format, keep=raw).items()
        }
        print(f"bench: dbt build on scale {args.scale}", flush=True)
        figures.update(bench_build(raw, file_format, work, args.memory_limit))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        print(f"{key:>{width}}: {shown}")
    return 0 if figures.get("dbt_build_exit_code") == 0 else 1
