"""`common-kpi check-raw`: check the raw files against the sources declared in models/staging.

dbt reads raw files lazily; a missing file or column would surface as a DuckDB binder error
deep inside a staging view. This check runs first and says, in one line per problem, which
table and which column is wrong. Problems that make the data unusable are errors (exit 2);
an extra column is only reported, since connectors add columns and staging ignores them.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from common_kpi import PROJECT_DIR

SOURCES_GLOB = "models/staging/*/_*__sources.yml"
OPTIONAL_SOURCES = {"ground_truth"}


class RawContractError(Exception):
    """The raw data cannot be built: the message names every table and column at fault."""


@dataclass
class RawCheckReport:
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)


def declared_tables(project_dir: Path = PROJECT_DIR) -> dict[tuple[str, str], list[str]]:
    """(source, table) → declared column names, read from the sources YAML files."""
    tables: dict[tuple[str, str], list[str]] = {}
    for sources_file in sorted(project_dir.glob(SOURCES_GLOB)):
        document = yaml.safe_load(sources_file.read_text(encoding="utf-8")) or {}
        for source in document.get("sources", []):
            if source["name"] in OPTIONAL_SOURCES:
                continue
            for table in source.get("tables", []):
                columns = [column["name"] for column in table.get("columns", [])]
                tables[(source["name"], table["name"])] = columns
    return tables


def raw_path() -> Path:
    return Path(os.environ.get("COMMON_KPI_RAW_PATH", PROJECT_DIR / "data" / "raw" / "demo"))


def raw_format() -> str:
    return os.environ.get("COMMON_KPI_RAW_FORMAT", "csv")


def _csv_header(file: Path) -> list[str]:
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _read_header(connection, file: Path, file_format: str) -> tuple[list[str], int]:
    location = str(file).replace("'", "''")
    if file_format == "parquet":
        relation = f"read_parquet('{location}')"
        columns = [row[0] for row in connection.execute(f"describe select * from {relation}").fetchall()]
    else:
        # The dialect is given, not sniffed: on a file cut mid-row or mid-quote DuckDB's sniffer
        # silently reads one column; strict parsing names the line at fault instead.
        columns = _csv_header(file)
        declared = ", ".join(f"'{name.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for name in columns)
        relation = (
            f"read_csv('{location}', auto_detect = false, header = true, delim = ',', quote = '\"', "
            f"escape = '\"', strict_mode = true, columns = {{{declared}}})"
        )
    row_count = connection.execute(f"select count(*) from {relation}").fetchone()[0]
    return columns, int(row_count)


def _csv_error_summary(error: Exception) -> str:
    """DuckDB's first error line plus what it found wrong (not the raw line, nor its fix hints)."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    detail = [line for line in lines[1:3] if not line.startswith(("Original Line", "Possible fixes"))]
    return "; ".join(lines[:1] + detail[:1])


def check_raw_files(
    root: Path, file_format: str = "csv", project_dir: Path = PROJECT_DIR
) -> RawCheckReport:
    """Compare every declared raw table with its file under `root`."""
    import duckdb

    report = RawCheckReport()
    connection = duckdb.connect()
    for (source, table), declared in declared_tables(project_dir).items():
        name = f"{source}.{table}"
        file = root / source / f"{table}.{file_format}"
        if not file.exists():
            report.errors.append(f"{name}: file {file} is missing")
            continue
        if file.stat().st_size == 0:
            report.errors.append(f"{name}: file {file} is empty (not even a header row)")
            continue
        try:
            columns, row_count = _read_header(connection, file, file_format)
        except duckdb.Error as error:
            report.errors.append(f"{name}: file {file} cannot be read ({_csv_error_summary(error)})")
            continue
        report.row_counts[name] = row_count
        missing = [column for column in declared if column not in columns]
        extra = [column for column in columns if column not in declared]
        for column in missing:
            hint = f" (file has unexpected {', '.join(extra)}: renamed?)" if extra else ""
            report.errors.append(f"{name}: column {column!r} is missing{hint}")
        for column in extra:
            report.notices.append(f"{name}: extra column {column!r} is ignored by staging")
        if row_count == 0:
            report.notices.append(f"{name}: table has no rows; KPIs that need it show no_data")
    return report


def check_raw_data(root: Path | None = None, file_format: str | None = None) -> RawCheckReport:
    """Check the configured raw data; raise RawContractError listing every error."""
    root = root or raw_path()
    file_format = file_format or raw_format()
    if not root.is_dir():
        raise RawContractError(
            f"raw data folder {root} does not exist: run `make data` or set COMMON_KPI_RAW_PATH"
        )
    report = check_raw_files(root, file_format)
    for notice in report.notices:
        print(f"check-raw: notice: {notice}", file=sys.stderr)
    if report.errors:
        raise RawContractError(
            "raw data does not match the declared sources:\n  "
            + "\n  ".join(report.errors)
        )
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi check-raw", description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=None, help="raw data folder")
    parser.add_argument("--format", choices=["csv", "parquet"], default=None)
    args = parser.parse_args(argv)
    try:
        report = check_raw_data(args.path, args.format)
    except RawContractError as error:
        print(f"check-raw: {error}", file=sys.stderr)
        return 2
    total = sum(report.row_counts.values())
    print(f"check-raw: {len(report.row_counts)} tables, {total:,} rows, all declared columns present")
    return 0
