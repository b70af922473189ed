"""The compiled source mapping lists every raw table with its contract columns, in order.

Unit-test fixtures of raw tables (macros/raw_fixture.sql), the portable raw-row JSON and the
staging models' column resolution (macros/raw_source.sql) all read the contract from the
compiled mapping (macros/generated/source_mapping.sql), not from the sources YAML directly
(dbt's graph is not at hand in every one of those places): this keeps the two equal.
"""

from __future__ import annotations

from helpers_raw import PROJECT_DIR, declared_raw_tables

from common_kpi.source_mapping import load_mapping

STAGED_SOURCES = {"salesforce", "hubspot", "crm", "finance"}


def test_compiled_mapping_lists_every_staged_raw_table_with_its_contract_columns() -> None:
    declared = {
        f"{source}.{table}": columns
        for (source, table), columns in declared_raw_tables().items()
        if source in STAGED_SOURCES
    }
    compiled = {
        table: [column["name"] for column in spec["columns"]]
        for table, spec in load_mapping(PROJECT_DIR).tables.items()
    }
    assert compiled == declared
