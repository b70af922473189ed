"""The copy of the raw contracts in macros/raw_table_columns.sql must match the sources YAML.

Unit-test fixtures of raw tables (macros/raw_fixture.sql) and the portable raw-row JSON
(macros/raw_row_json.sql) read the column lists from that macro, because dbt's graph is not
available to them; this test keeps the copy honest.
"""

from __future__ import annotations

import ast
import re

from helpers_raw import PROJECT_DIR, declared_raw_tables

MACRO_FILE = PROJECT_DIR / "macros" / "raw_table_columns.sql"
STAGED_SOURCES = {"salesforce", "hubspot", "crm", "finance"}


def macro_columns() -> dict[str, list[str]]:
    """The `columns_by_table` dict literal of the macro, read as Python."""
    text = MACRO_FILE.read_text(encoding="utf-8")
    match = re.search(r"set columns_by_table = (\{.*?\n    \})", text, re.S)
    assert match, "columns_by_table not found in raw_table_columns.sql"
    return ast.literal_eval(match.group(1))


def test_macro_lists_every_staged_raw_table_with_its_contract_columns() -> None:
    declared = {
        f"{source}.{table}": columns
        for (source, table), columns in declared_raw_tables().items()
        if source in STAGED_SOURCES
    }
    assert macro_columns() == declared
