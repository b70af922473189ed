"""Tables as pandas DataFrames: warehouse relations (read-only DuckDB) and raw files.

Great Expectations' SQL datasource cannot run on DuckDB (GX issue #10738), so every table is
read here into pandas and validated with GX's pandas datasource instead. Queries in
quality.yml name relations as `{model_name}` (resolved to its schema in the warehouse) and
can join `raw_row_counts` (source_table, raw_row_count: the rows of every raw file, counted
here independently of dbt).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from common_kpi.raw_contract import declared_tables

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
RAW_COUNTS_VIEW = "raw_row_counts"


class RelationError(Exception):
    """A relation named in quality.yml is not in the warehouse, or is ambiguous."""


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """The published warehouse, opened read-only as BI tools open it."""
    if not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist: run `make build` first")
    return duckdb.connect(str(path), read_only=True)


class WarehouseReader:
    """Reads relations of the warehouse by model name.

    Staging models are views over the raw files, and the checks read some of them several
    times (a staged table, the load audit, the quarantine): each view is therefore read once
    into a temporary table of this (read-only) connection and served from there.
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        rows = connection.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = current_database() and table_schema not like 'temp%'"
        ).fetchall()
        self.relations: dict[str, tuple[str, bool]] = {}
        ambiguous: set[str] = set()
        for schema, name, table_type in rows:
            if name in self.relations:
                ambiguous.add(name)
            self.relations[name] = (f'"{schema}"."{name}"', table_type == "VIEW")
        for name in ambiguous:
            self.relations.pop(name)
        self.cached: dict[str, str] = {}

    def relation(self, name: str) -> str:
        """The relation to read model `name` from (a cached copy for a view)."""
        if name == RAW_COUNTS_VIEW:
            return name
        if name in self.cached:
            return self.cached[name]
        if name not in self.relations:
            raise RelationError(f"relation {name!r} is not in the warehouse (or is in two schemas)")
        qualified, is_view = self.relations[name]
        if not is_view:
            return qualified
        cache = f"quality_cache__{name}"
        self.connection.execute(f'create or replace temp table "{cache}" as select * from {qualified}')
        self.cached[name] = f'"{cache}"'
        return self.cached[name]

    def render(self, query: str) -> str:
        """Replace every `{model_name}` placeholder by the relation to read it from."""
        return PLACEHOLDER.sub(lambda match: self.relation(match.group(1)), query)

    def frame(
        self, *, relation: str | None = None, query: str | None = None, columns: list[str] | None = None
    ) -> pd.DataFrame:
        """A relation (all or only `columns`), or a quality.yml query, as a DataFrame."""
        if relation is not None:
            return self.connection.execute(
                f"select {_select_list(columns)} from {self.relation(relation)}"
            ).df()
        assert query is not None
        return self.connection.execute(self.render(query)).df()

    def scalar(self, query: str) -> object:
        return self.connection.execute(self.render(query)).fetchone()[0]


def raw_file(raw_path: Path, source: str, table: str, file_format: str = "csv") -> Path:
    return raw_path / source / f"{table}.{file_format}"


def _raw_relation(file: Path, file_format: str) -> str:
    location = str(file).replace("'", "''")
    if file_format == "parquet":
        return f"read_parquet('{location}')"
    return f"read_csv('{location}', all_varchar = true, header = true)"


def _select_list(columns: list[str] | None) -> str:
    if columns is None:
        return "*"
    if not columns:
        return "1 as row_marker"
    return ", ".join('"' + name.replace('"', '""') + '"' for name in columns)


def read_raw_table(
    raw_path: Path, name: str, file_format: str = "csv", columns: list[str] | None = None
) -> pd.DataFrame:
    """A raw table (`source.table`) exactly as landed, every column as text (or only `columns`)."""
    source, table = name.split(".", 1)
    file = raw_file(raw_path, source, table, file_format)
    if not file.exists():
        raise FileNotFoundError(f"raw file {file} is missing")
    with duckdb.connect() as connection:
        relation = _raw_relation(file, file_format)
        return connection.execute(f"select {_select_list(columns)} from {relation}").df()


def count_raw_rows(raw_path: Path, file_format: str = "csv") -> pd.DataFrame:
    """Rows of every declared raw table, counted straight from its file (missing file = 0)."""
    records = []
    with duckdb.connect() as connection:
        for source, table in declared_tables():
            file = raw_file(raw_path, source, table, file_format)
            count = 0
            if file.exists():
                relation = _raw_relation(file, file_format)
                count = connection.execute(f"select count(*) from {relation}").fetchone()[0]
            records.append({"source_table": f"{source}.{table}", "raw_row_count": int(count)})
    return pd.DataFrame.from_records(records, columns=["source_table", "raw_row_count"])
