"""Read-only access to the published DuckDB files, written once for every reader.

The CLI tree and alerts, the dashboard and the pack read the *BI file*, what BI tools read
(`COMMON_KPI_BI_PATH`, default bi/<name> beside the published warehouse
`COMMON_KPI_PUBLISHED_PATH`, i.e. warehouse/bi/common_kpi.duckdb: the marts and reference
seeds only, personal data masked, bi_export.py), and never hold a connection between queries:
each query opens the file read-only, runs and closes.
`common-kpi build` replaces the published file with an atomic rename, so a reader sees either
the old build or the new one, and never holds a lock the build needs. Table names are
resolved through `information_schema`, so readers do not depend on the schema naming of the
dbt target (`main_marts`, `marts`, ...).

A missing file, a file DuckDB cannot open, or a mart that is not built is a
`WarehouseError` whose message says which and what to run; nothing fails with a traceback.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from common_kpi import PROJECT_DIR

DEFAULT_PUBLISHED = PROJECT_DIR / "warehouse" / "common_kpi.duckdb"


def published_path() -> Path:
    """The published warehouse: `COMMON_KPI_PUBLISHED_PATH`, else warehouse/common_kpi.duckdb."""
    return Path(os.environ.get("COMMON_KPI_PUBLISHED_PATH", DEFAULT_PUBLISHED))


def bi_path() -> Path:
    """The published BI file: `COMMON_KPI_BI_PATH`, else bi/<name> beside the published warehouse."""
    from common_kpi.bi_export import default_bi_path

    return default_bi_path(published_path())


def bi_missing_message(path: Path) -> str:
    return (
        f"{path} does not exist: the dashboard, pack, tree and alerts read the BI file (the marts "
        "only, as BI tools read them) that `common-kpi build` publishes beside the warehouse. "
        "Run `make build` (a warehouse published before the BI export has no BI file), or set "
        "COMMON_KPI_BI_PATH to it."
    )


class WarehouseError(RuntimeError):
    """The warehouse cannot be read: missing file, unreadable file or a mart not built."""


class TableMissing(WarehouseError, LookupError):
    """A mart a reader needs is not in the warehouse (not built yet)."""

    def __init__(self, table: str) -> None:
        super().__init__(f"table {table!r} is not in the warehouse (run `make build` first)")
        self.table = table


@contextlib.contextmanager
def connect_read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to `path`, closed on exit; `WarehouseError` with a clear
    message when the file does not exist or DuckDB cannot open it."""
    if not path.is_file():
        raise WarehouseError(f"{path} does not exist (run `make build` first)")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        from common_kpi.warehouse_access import is_lock_error, locked_message

        if is_lock_error(error):  # a read-write client: who holds it and how to open read-only
            raise WarehouseError(locked_message(path, error)) from None
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise WarehouseError(f"{path} cannot be opened read-only: {first_line}") from None
    try:
        yield connection
    finally:
        connection.close()


def find_relation(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """The quoted `schema.name` of a table or view (a marts schema wins); `TableMissing`."""
    rows = connection.execute(
        """
        select table_schema
        from information_schema.tables
        where table_name = ?
        order by table_schema like '%marts%' desc, table_schema
        """,
        [name],
    ).fetchall()
    if not rows:
        raise TableMissing(name)
    return f'"{rows[0][0]}"."{name}"'


def fetch_dicts(
    connection: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] | None = None
) -> list[dict[str, Any]]:
    """Rows of a query as dicts (column name → value)."""
    cursor = connection.execute(sql, list(params or []))
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class Warehouse:
    """The published DuckDB file, opened read-only for each query."""

    path: Path

    @classmethod
    def published(cls) -> Warehouse:
        return cls(published_path())

    @classmethod
    def bi(cls, path: Path | None = None) -> Warehouse:
        """The BI file (`path`, else `bi_path()`); `WarehouseError` saying what to run when it
        does not exist."""
        warehouse = cls(path or bi_path())
        if not warehouse.exists():
            raise WarehouseError(bi_missing_message(warehouse.path))
        return warehouse

    def exists(self) -> bool:
        return self.path.is_file()

    def connect(self) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
        return connect_read_only(self.path)

    def query(self, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """Run one query on a fresh read-only connection and return the result."""
        with self.connect() as connection:
            return connection.execute(sql, list(params or [])).df()

    def tables(self) -> dict[str, str]:
        """Every table or view by name, mapped to its quoted `schema.name`.

        Rows come with the marts schemas last, so a mart wins over a same-named relation in
        another layer (there should be none).
        """
        rows = self.query(
            """
            select table_schema, table_name
            from information_schema.tables
            order by table_schema like '%marts%', table_schema
            """
        )
        found: dict[str, str] = {}
        for schema, name in rows.itertuples(index=False):
            found[str(name)] = f'"{schema}"."{name}"'
        return found

    def relation(self, name: str) -> str:
        """The quoted relation of the table `name`; `TableMissing` if it is not built."""
        relation = self.tables().get(name)
        if relation is None:
            raise TableMissing(name)
        return relation

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def columns(self, name: str) -> list[str]:
        """The column names of table `name`, in order."""
        relation = self.relation(name)
        return list(self.query(f"select * from {relation} limit 0").columns)
