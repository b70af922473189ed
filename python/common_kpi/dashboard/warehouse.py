"""Read-only access to the published DuckDB file.

The dashboard and the pack never hold a connection between queries: each query opens the
published file read-only, runs and closes. `common-kpi build` replaces the published file
with an atomic rename, so a reader sees either the old build or the new one, and never holds
a lock the build needs. Table names are resolved through `information_schema`, so the pages
do not depend on the schema naming of the dbt target (`main_marts`, `marts`, ...).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from common_kpi import PROJECT_DIR

DEFAULT_PUBLISHED = PROJECT_DIR / "warehouse" / "common_kpi.duckdb"


def published_path() -> Path:
    """The published warehouse: `COMMON_KPI_PUBLISHED_PATH`, else warehouse/common_kpi.duckdb."""
    return Path(os.environ.get("COMMON_KPI_PUBLISHED_PATH", DEFAULT_PUBLISHED))


class TableMissing(LookupError):
    """A mart the page needs is not in the published warehouse (not built yet)."""

    def __init__(self, table: str) -> None:
        super().__init__(table)
        self.table = table


@dataclass(frozen=True)
class Warehouse:
    """The published DuckDB file, opened read-only for each query."""

    path: Path

    @classmethod
    def published(cls) -> Warehouse:
        return cls(published_path())

    def exists(self) -> bool:
        return self.path.is_file()

    def query(self, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """Run one query on a fresh read-only connection and return the result."""
        with duckdb.connect(str(self.path), read_only=True) as connection:
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
