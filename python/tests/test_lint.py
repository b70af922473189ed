"""sqlfluff (dbt templater, dialect duckdb) over every model and analysis, and ruff over Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from common_kpi.lint import SQL_PATHS, run_ruff, run_sqlfluff


def test_python_is_ruff_clean() -> None:
    assert run_ruff() == 0


@pytest.mark.slow
def test_sql_is_sqlfluff_clean(built_warehouse: Path) -> None:
    assert run_sqlfluff(SQL_PATHS, warehouse=built_warehouse) == 0
