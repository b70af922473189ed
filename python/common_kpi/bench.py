"""`common-kpi bench`: how fast and how big, at the demo scale or larger (`make bench SCALE=n`).

Generates a data set at `--scale` (Parquet above scale 2) into a work folder, then measures,
in the same run and on the same machine:
- the floor: DuckDB reading every raw file once (every column of every row hashed);
- the full `dbt build` (models and data tests, unit tests excluded as in production), run
  `--runs` times into a fresh warehouse each time: wall time (median), peak memory of the
  dbt process (median), node time per layer (staging / intermediate / marts / data tests,
  summed from run_results.json of the median run), raw rows per second, warehouse size;
- the daily incremental run: one more day of MA data (`add_one_day`) and `dbt build` again
  on the last warehouse, without --full-refresh.
It prints the figures, writes them as JSON (docs/bench/scale_<n>.json) and rewrites the
table of that scale in docs/performance.md and README.md. It asserts nothing: these
machines are shared and noisy, so no test depends on a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common_kpi import PROJECT_DIR

# The MA tables that grow by the day, with their event-time column, the column(s) given a new
# value in a copied row, and the key whose every row on one day `add_one_day` deletes.
GROWING_TABLES = {
    "hubspot/email_event": {
        "time_column": "created",
        "new_id": "cast(max_id.value + {offset} + row_number() over (order by id) as varchar) as id",
        "max_id": "select max(try_cast(id as hugeint)) as value from raw_table",
        "key_columns": ["recipient", "type"],
    },
    "hubspot/contact_form_submission": {
        "time_column": "timestamp",
        "new_id": "cast(uuid() as varchar) as conversion_id",
        "max_id": "select 0 as value",
        "key_columns": ["contact_id", "form_id"],
    },
}
NEW_ROWS_PER_TABLE = 40
LATE_ROWS_PER_TABLE = 25
DELETED_KEYS_PER_TABLE = 5
SINGLE_DELETES_PER_TABLE = 10
SYNCED_AT = "2099-01-01T00:00:00Z"
LAYERS = ("staging", "intermediate", "marts", "data_tests", "unit_tests", "seeds")


def _read_sql(path: Path) -> str:
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', all_varchar = true, header = true)"


def raw_files(raw: Path) -> list[Path]:
    """Every raw table file of a data set (the generator's ground truth left out)."""
    return sorted(
        path
        for path in raw.glob("*/*")
        if path.suffix in (".csv", ".parquet") and path.parent.name != "ground_truth"
    )


def _copies_sql(table: dict[str, object], source_rows: str, days: int, count: int, offset: int) -> str:
    """Copies of the first `count` source rows with new ids, moved by `days`, synced later."""
    time_column = table["time_column"]
    moved = f"strftime(strptime({time_column}, '%Y-%m-%dT%H:%M:%SZ') + to_days({days}), '%Y-%m-%dT%H:%M:%SZ')"
    return f"""
        select raw_rows.* replace (
            {str(table['new_id']).format(offset=offset)},
            {moved} as {time_column},
            '{SYNCED_AT}' as _fivetran_synced
        )
        from ({source_rows} limit {count}) as raw_rows, ({table['max_id']}) as max_id
    """


def add_one_day(raw: Path, memory_limit: str = "3GiB") -> dict[str, dict[str, object]]:
    """Give a raw data set one more day of MA data, in place, the way a daily sync would.

    For each growing table: new rows dated the day after the latest JST day of the rows not
    dated after their own sync (copies of that day's rows with new ids), late rows dated the
    day before it (inside the incremental lookback window), and rows deleted at the source
    inside the window: every row of a few keys on the latest day minus 2 (so a whole daily key
    disappears) and single rows of the latest day. Returns, per table, the latest day and
    how many rows were added and deleted.
    """
    import duckdb

    changes: dict[str, dict[str, object]] = {}
    # capped like the dbt build, spilling beside the data: at scale 50 the 28 M email events
    # held in memory without a limit took 14 GB
    connection = duckdb.connect()
    connection.execute("set enable_progress_bar = false")
    connection.execute(f"set memory_limit = '{memory_limit}'")
    connection.execute(f"set temp_directory = '{raw / '.add_one_day.tmp'}'")
    for name, table in GROWING_TABLES.items():
        (path,) = [p for p in (raw / f"{name}.csv", raw / f"{name}.parquet") if p.exists()]
        time_column = table["time_column"]
        connection.execute(f"create or replace table raw_table as select * from {_read_sql(path)}")
        jst_day = f"cast(try_strptime({time_column}, '%Y-%m-%dT%H:%M:%SZ') + interval 9 hour as date)"
        # the latest day of the rows dated no later than their sync (a row dated years ahead by
        # a clock error at the source, which staging quarantines, is not the data's last day)
        synced = "try_strptime(_fivetran_synced, '%Y-%m-%dT%H:%M:%SZ')"
        latest = connection.execute(
            f"select max({jst_day}) from raw_table"
            f" where try_strptime({time_column}, '%Y-%m-%dT%H:%M:%SZ') <= {synced}"
        ).fetchone()[0]
        # the rows copied are those of the latest day with enough rows (the very last days of
        # a data set can be thin), moved to the day after the latest (new) and the day before
        # it (late)
        (source_day,) = connection.execute(
            f"select max(day) from (select {jst_day} as day from raw_table group by day"
            " having count(*) >= ?)",
            [NEW_ROWS_PER_TABLE],
        ).fetchone()
        to_next_day = (latest - source_day).days + 1
        keys = ", ".join(table["key_columns"])
        source_rows = f"select * from raw_table where {jst_day} = date '{source_day}' order by rowid"
        connection.execute(
            "create or replace table new_rows as "
            + _copies_sql(table, source_rows, to_next_day, NEW_ROWS_PER_TABLE, 0)
        )
        connection.execute(
            "create or replace table late_rows as "
            + _copies_sql(table, source_rows, to_next_day - 2, LATE_ROWS_PER_TABLE, NEW_ROWS_PER_TABLE)
        )
        # deleted inside the window: every row of a few keys two days before the latest day,
        # and the first rows of the latest day
        connection.execute(
            f"""
            create or replace table kept as
            select * exclude (deleted_key, latest_day_position)
            from (
                select
                    raw_table.*,
                    {jst_day} = date '{latest}' - interval 2 day and ({keys}) in (
                        select ({keys}) from raw_table where {jst_day} = date '{latest}' - interval 2 day
                        group by {keys} order by {keys} limit {DELETED_KEYS_PER_TABLE}
                    ) as deleted_key,
                    case when {jst_day} = date '{latest}'
                        then row_number() over (partition by {jst_day} = date '{latest}' order by rowid)
                    end as latest_day_position
                from raw_table
            )
            where not coalesce(deleted_key, false)
                and not coalesce(latest_day_position <= {SINGLE_DELETES_PER_TABLE}, false)
            """
        )
        before = connection.execute("select count(*) from raw_table").fetchone()[0]
        kept = connection.execute("select count(*) from kept").fetchone()[0]
        union = "select * from kept union all select * from new_rows union all select * from late_rows"
        if path.suffix == ".parquet":
            connection.execute(f"copy ({union}) to '{path}' (format parquet)")
        else:
            connection.execute(f"copy ({union}) to '{path}' (header true, force_quote *)")
        changes[name] = {
            "latest_day": latest.isoformat(),
            "new": connection.execute("select count(*) from new_rows").fetchone()[0],
            "late": connection.execute("select count(*) from late_rows").fetchone()[0],
            "deleted": before - kept,
        }
    connection.close()
    shutil.rmtree(raw / ".add_one_day.tmp", ignore_errors=True)
    return changes


def measure_floor(raw: Path) -> dict[str, float]:
    """DuckDB reading every raw file once: every column of every row hashed."""
    import duckdb

    connection = duckdb.connect()
    connection.execute("set enable_progress_bar = false")
    started = time.perf_counter()
    rows = 0
    for path in raw_files(raw):
        rows += connection.execute(f"select count(*), sum(hash(t)) from {_read_sql(path)} as t").fetchone()[0]
    seconds = time.perf_counter() - started
    connection.close()
    return {"floor_seconds": round(seconds, 2), "raw_rows": rows}


def _environment(
    raw: Path, file_format: str, warehouse: Path, work: Path, memory_limit: str
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "COMMON_KPI_RAW_PATH": str(raw),
            "COMMON_KPI_RAW_FORMAT": file_format,
            "COMMON_KPI_DUCKDB_PATH": str(warehouse),
            "COMMON_KPI_DUCKDB_MEMORY": memory_limit,
            "DBT_LOG_PATH": str(work / "logs"),
        }
    )
    return env


# Runs one command and prints the peak RSS (KiB) of its process tree: a separate process per
# build, so that each build's peak is its own.
_PEAK_WRAPPER = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def run_dbt_build(env: dict[str, str], target_path: Path) -> dict[str, object]:
    """One `dbt build` (unit tests excluded); wall seconds, exit code, peak RSS, node times."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        sys.executable, "-c", _PEAK_WRAPPER, str(dbt), "build",
        "--exclude-resource-type", "unit_test", "--quiet", "--target-path", str(target_path),
    ]  # fmt: skip
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        print(completed.stdout[-3000:], file=sys.stderr)
    peak_kib = int(completed.stderr.strip().splitlines()[-1])
    return {
        "seconds": round(seconds, 1),
        "exit_code": completed.returncode,
        "peak_rss_mib": round(peak_kib / 1024),
        "layers": layer_seconds(target_path / "run_results.json"),
    }


def layer_seconds(run_results: Path) -> dict[str, float]:
    """Node seconds per layer, summed from a run_results.json (threads overlap: sums exceed wall)."""
    totals = dict.fromkeys(LAYERS, 0.0)
    if not run_results.exists():
        return totals
    for result in json.loads(run_results.read_text(encoding="utf-8"))["results"]:
        unique_id = result["unique_id"]
        kind = unique_id.split(".", 1)[0]
        if kind == "test":
            layer = "data_tests"
        elif kind == "unit_test":
            layer = "unit_tests"
        elif kind == "seed":
            layer = "seeds"
        elif kind == "model":
            name = unique_id.split(".")[-1]
            layer = (
                "staging" if name.startswith(("stg_", "base_"))
                else "intermediate" if name.startswith("int_") or name == "identity_resolution_quality"
                else "marts"
            )  # fmt: skip
        else:
            continue
        totals[layer] += result["execution_time"]
    return {key: round(value, 1) for key, value in totals.items()}


def copy_data_set(source: Path, raw: Path) -> dict[str, object]:
    """Copy a generated data set into the work folder (the daily run changes its copy)."""
    manifest = json.loads((source / "_manifest.json").read_text(encoding="utf-8"))
    shutil.copytree(source, raw, dirs_exist_ok=True)
    counts = manifest["row_counts"]
    return {
        "scale": float(manifest["scale"]),
        "format": manifest["format"],
        "seconds": None,
        "leads": counts["hubspot.contact"] + counts["salesforce.lead"],
        "ma_events": counts["hubspot.email_event"] + counts["hubspot.contact_form_submission"],
    }


def bench(
    scale: float, runs: int, memory_limit: str, work: Path, data_set: Path | None = None
) -> dict[str, object]:
    from common_kpi.generator import bench as generator_bench

    raw = work / "raw"
    if data_set is None:
        file_format = "csv" if scale <= 2 else "parquet"
        print(f"bench: generating scale {scale} ({file_format}) into {raw}", flush=True)
        generator = generator_bench.run(scale, file_format, keep=raw)
    else:
        print(f"bench: copying the data set {data_set} into {raw}", flush=True)
        generator = copy_data_set(data_set, raw)
        scale, file_format = generator["scale"], generator["format"]
    figures: dict[str, object] = {
        "scale": scale,
        "raw_format": file_format,
        "machine": f"{os.cpu_count()} cores",
        "memory_limit": memory_limit,
        "generator_seconds": generator["seconds"],
        "leads": generator["leads"],
        "ma_events": generator["ma_events"],
    }
    print("bench: floor (DuckDB reads every raw file once)", flush=True)
    figures.update(measure_floor(raw))

    builds = []
    warehouse = work / "bench.duckdb"
    for run in range(1, runs + 1):
        for stale in work.glob("bench.duckdb*"):
            stale.unlink() if stale.is_file() else shutil.rmtree(stale)
        print(f"bench: full dbt build {run}/{runs}", flush=True)
        env = _environment(raw, file_format, warehouse, work, memory_limit)
        builds.append(run_dbt_build(env, work / f"target_full_{run}"))
        print(f"bench:   {builds[-1]['seconds']} s, peak {builds[-1]['peak_rss_mib']} MiB", flush=True)
    median_seconds = statistics.median(build["seconds"] for build in builds)
    median_build = min(builds, key=lambda build: abs(build["seconds"] - median_seconds))
    figures.update(
        {
            "full_build_runs": runs,
            "full_build_seconds_median": median_seconds,
            "full_build_seconds_all": [build["seconds"] for build in builds],
            "full_build_exit_codes": [build["exit_code"] for build in builds],
            "full_build_peak_rss_mib_median": statistics.median(build["peak_rss_mib"] for build in builds),
            "node_seconds_by_layer": median_build["layers"],
            "raw_rows_per_second": round(figures["raw_rows"] / median_seconds),
            "warehouse_mib": round(warehouse.stat().st_size / 2**20) if warehouse.exists() else 0,
        }
    )
    figures["full_build_vs_floor"] = round(median_seconds / max(figures["floor_seconds"], 0.01), 1)
    figures["staging_node_seconds_vs_floor"] = round(
        median_build["layers"]["staging"] / max(figures["floor_seconds"], 0.01), 1
    )

    print("bench: one more day of data, then the daily (incremental) dbt build", flush=True)
    add_one_day(raw, memory_limit)
    env = _environment(raw, file_format, warehouse, work, memory_limit)
    daily = run_dbt_build(env, work / "target_daily")
    figures.update(
        {
            "daily_incremental_seconds": daily["seconds"],
            "daily_incremental_exit_code": daily["exit_code"],
            "daily_incremental_peak_rss_mib": daily["peak_rss_mib"],
            "daily_vs_full_build_rate": round(daily["seconds"] / median_seconds, 2),
        }
    )
    return figures


def markdown_table(figures: dict[str, object]) -> str:
    layers = figures["node_seconds_by_layer"]
    rows = [
        (
            "raw rows / MA events / leads",
            f"{figures['raw_rows']:,} / {figures['ma_events']:,} / {figures['leads']:,}",
        ),
        ("floor: DuckDB reads every raw file once", f"{figures['floor_seconds']} s"),
        (
            f"full `dbt build`, median of {figures['full_build_runs']} (all runs)",
            f"{figures['full_build_seconds_median']} s"
            f" ({', '.join(map(str, figures['full_build_seconds_all']))})"
            + _failed_note(figures["full_build_exit_codes"]),
        ),
        ("full build / floor", f"{figures['full_build_vs_floor']}×"),
        ("peak memory of dbt (median)", f"{figures['full_build_peak_rss_mib_median']:,} MiB"),
        (
            "node seconds: staging / intermediate / marts / data tests",
            f"{layers['staging']} / {layers['intermediate']} / {layers['marts']} / {layers['data_tests']}",
        ),
        ("staging node seconds / floor", f"{figures['staging_node_seconds_vs_floor']}×"),
        ("raw rows per second (full build)", f"{figures['raw_rows_per_second']:,}"),
        ("warehouse file", f"{figures['warehouse_mib']:,} MiB"),
        (
            "daily incremental run after one more day",
            f"{figures['daily_incremental_seconds']} s"
            f" ({figures['daily_vs_full_build_rate']:.0%} of the full build)"
            + _failed_note([figures["daily_incremental_exit_code"]]),
        ),
    ]
    scale = f"{figures['scale']:g}"
    lines = [
        f"| scale {scale} ({figures['raw_format']}, {figures['machine']},"
        f" memory_limit {figures['memory_limit']}) | |",
        "| --- | --- |",
        *[f"| {what} | {value} |" for what, value in rows],
    ]
    return "\n".join(lines)


def _failed_note(exit_codes: list[int]) -> str:
    """' — FAILED (...)' when a build of these exit codes failed: its time is not a figure."""
    failed = [f"run {run} exit {code}" for run, code in enumerate(exit_codes, start=1) if code != 0]
    return f" — FAILED ({', '.join(failed)})" if failed else ""


def write_table(document: Path, scale: float, table: str) -> None:
    """Replace (or append) the table of this scale between its markers in `document`."""
    start, end = f"<!-- bench:scale-{scale:g}:start -->", f"<!-- bench:scale-{scale:g}:end -->"
    block = f"{start}\n{table}\n{end}"
    text = document.read_text(encoding="utf-8")
    if start in text and end in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    document.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data scale (demo = 1)")
    parser.add_argument(
        "--runs", type=int, default=None, help="full builds to take the median of (3 at scale <= 2, else 1)"
    )
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("COMMON_KPI_DUCKDB_MEMORY", "3GiB"),
        help="DuckDB memory_limit for dbt (the profile's default)",
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep data and warehouse here")
    parser.add_argument(
        "--data-set",
        type=Path,
        default=None,
        help="measure on a copy of this generated data set (scale from its _manifest.json)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; do not update the docs")
    args = parser.parse_args(argv)
    if args.data_set is not None:
        manifest_file = args.data_set / "_manifest.json"
        if not manifest_file.exists():
            print(f"bench: {args.data_set} is not a generated data set (no _manifest.json)", file=sys.stderr)
            return 2
        args.scale = float(json.loads(manifest_file.read_text(encoding="utf-8"))["scale"])
    runs = args.runs or (3 if args.scale <= 2 else 1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="common_kpi_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        figures = bench(args.scale, runs, args.memory_limit, work, args.data_set)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    table = markdown_table(figures)
    print(table)
    ok = all(code == 0 for code in figures["full_build_exit_codes"])
    ok = ok and figures["daily_incremental_exit_code"] == 0
    if not ok:
        print("bench: a build failed (its dbt output is above); the docs keep their figures", file=sys.stderr)
    elif not args.no_write:
        json_file = PROJECT_DIR / "docs" / "bench" / f"scale_{args.scale:g}.json"
        json_file.parent.mkdir(parents=True, exist_ok=True)
        json_file.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for document in (PROJECT_DIR / "docs" / "performance.md", PROJECT_DIR / "README.md"):
            write_table(document, args.scale, table)
        print(f"bench: wrote {json_file.relative_to(PROJECT_DIR)}, docs/performance.md and README.md")
    return 0 if ok else 1
