"""Helpers for tests that need raw files before (or without) generated data.

`write_header_only_raw` reads the raw source contracts (models/staging/*/_*__sources.yml) and
writes one CSV per declared table holding only the header row, in the layout the sources read
(`<out>/<source name>/<table name>.csv`). Pointing COMMON_KPI_RAW_PATH at that folder lets
dbt parse the project, run its unit tests and build every model on empty tables.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]


def declared_raw_tables(project_dir: Path = PROJECT_DIR) -> dict[tuple[str, str], list[str]]:
    """Map (source name, table name) to the declared column names, in declaration order."""
    tables: dict[tuple[str, str], list[str]] = {}
    for sources_file in sorted((project_dir / "models" / "staging").glob("*/_*__sources.yml")):
        document = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
        for source in document.get("sources", []):
            for table in source.get("tables", []):
                columns = [column["name"] for column in table.get("columns", [])]
                tables[(source["name"], table["name"])] = columns
    return tables


def write_header_only_raw(out_dir: Path, project_dir: Path = PROJECT_DIR) -> list[Path]:
    """Write a header-only CSV for every declared raw table; return the files written."""
    written: list[Path] = []
    for (source_name, table_name), columns in declared_raw_tables(project_dir).items():
        path = out_dir / source_name / f"{table_name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(columns)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("raw_empty")
    for written_path in write_header_only_raw(target):
        print(written_path)
