"""Rewrite generated raw data as a standard Salesforce org and HubSpot portal would land it.

The demo data carries this project's own choices: custom fields (business_unit__c,
corporate_number__c, HubSpot business_unit and corporate_number properties) and picklist values
of its own (lead statuses Open / Working / Qualified ..., opportunity stages Proposal and
Negotiation, types New Business / Existing Business - Upsell). A company that has just synced
its org has none of that. `common-kpi generate --org standard` rewrites the tables after they
are generated, so the same story can be built the way a new user's data arrives:

- no custom fields (the columns are gone, not empty);
- Salesforce's default picklist values (Lead Status "Open - Not Contacted", "Working -
  Contacted", "Closed - Converted", "Closed - Not Converted"; Opportunity stages
  "Proposal/Price Quote", "Negotiation/Review"; Opportunity Type "New Customer", "Existing
  Customer - Upgrade" ...), which have no SQL status: a lead is an SQL when converted;
- HubSpot email events with the PROCESSED and DEFERRED types the events API also reports;
- a HubSpot company table from a connector version that names the soft delete `is_deleted`;
- no identity ground truth (only the generator knows the true people and companies);
- `--spelling api`: Salesforce tables and columns in API spelling (Lead.csv with Id,
  IsDeleted, CreatedDate, SystemModstamp), as Airbyte, Data Loader and API exports land them;
- `--history-mode`: Salesforce leads and opportunities in connector history mode, every changed
  row kept as an older, inactive version (_fivetran_active, _fivetran_start, _fivetran_end).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from common_kpi.source_mapping import SALESFORCE_API_OBJECTS

CUSTOM_COLUMNS = {
    ("salesforce", "lead"): ["business_unit__c"],
    ("salesforce", "account"): ["corporate_number__c", "business_unit__c"],
    ("salesforce", "opportunity"): ["business_unit__c"],
    ("hubspot", "contact"): ["property_business_unit"],
    ("hubspot", "company"): ["property_corporate_number", "property_business_unit"],
}
LEAD_STATUSES = {
    "Open": "Open - Not Contacted",
    "Working": "Working - Contacted",
    "Nurturing": "Working - Contacted",
    "Qualified": "Working - Contacted",
    "Converted": "Closed - Converted",
    "Unqualified": "Closed - Not Converted",
}
OPPORTUNITY_STAGES = {"Proposal": "Proposal/Price Quote", "Negotiation": "Negotiation/Review"}
OPPORTUNITY_TYPES = {
    "New Business": "New Customer",
    "Existing Business - Upsell": "Existing Customer - Upgrade",
    "Existing Business - Cross-sell": "Existing Customer - Upgrade",
    "Renewal": "Existing Customer - Replacement",
}
ACCOUNT_TYPES = {"Customer": "Customer - Direct", "Former Customer": "Other"}
HISTORY_MODE_TABLES = {"lead": "last_modified_date", "opportunity": "created_date"}


def api_name(column: str) -> str:
    """Fivetran's snake_case → Salesforce API spelling (converted_account_id → ConvertedAccountId)."""
    if column == "_fivetran_synced":
        return "SystemModstamp"
    if column.startswith("_fivetran"):
        return column
    return "".join(part[:1].upper() + part[1:] for part in column.split("_"))


def _case_map(column: str, mapping: dict[str, str]) -> str:
    branches = " ".join(f"when {column} = '{old}' then '{new}'" for old, new in mapping.items())
    return f"case {branches} else {column} end as {column}"


def _read(connection: duckdb.DuckDBPyConnection, file: Path, fmt: str) -> str:
    location = str(file).replace("'", "''")
    if fmt == "parquet":
        return f"read_parquet('{location}')"
    return f"read_csv('{location}', all_varchar = true, header = true)"


def _write(connection: duckdb.DuckDBPyConnection, query: str, file: Path, fmt: str) -> None:
    temporary = file.with_name(file.name + ".tmp")
    location = str(temporary).replace("'", "''")
    options = "(format parquet, compression zstd)" if fmt == "parquet" else "(header true, force_quote *)"
    connection.execute(f"copy ({query}) to '{location}' {options}")
    temporary.replace(file)


def _columns(connection: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in connection.execute(f"describe select * from {relation}").fetchall()]


def rewrite_as_standard_org(
    out: Path, fmt: str, spelling: str = "fivetran", history_mode: bool = False
) -> None:
    """Rewrite the generated tables under `out` in place (see the module docstring)."""
    connection = duckdb.connect()
    for system, table in sorted({(s, t) for s in ("salesforce", "hubspot") for t in _tables(out, s, fmt)}):
        file = out / system / f"{table}.{fmt}"
        relation = _read(connection, file, fmt)
        columns = [
            c for c in _columns(connection, relation) if c not in CUSTOM_COLUMNS.get((system, table), [])
        ]
        selected = {column: column for column in columns}
        if (system, table) == ("salesforce", "lead"):
            selected["status"] = _case_map("status", LEAD_STATUSES)
        if (system, table) == ("salesforce", "opportunity"):
            selected["stage_name"] = _case_map("stage_name", OPPORTUNITY_STAGES)
            selected["type"] = _case_map("type", OPPORTUNITY_TYPES)
        if (system, table) == ("salesforce", "account"):
            selected["type"] = _case_map("type", ACCOUNT_TYPES)
        if (system, table) == ("hubspot", "company"):
            selected["_fivetran_deleted"] = "_fivetran_deleted as is_deleted"
        query = f"select {', '.join(selected.values())} from {relation}"
        if (system, table) == ("hubspot", "email_event"):
            query = _with_delivery_events(query)
        if history_mode and system == "salesforce" and table in HISTORY_MODE_TABLES:
            query = _with_history(query, HISTORY_MODE_TABLES[table], table)
        _write(connection, query, file, fmt)
        if system == "salesforce" and spelling == "api":
            _rename_to_api(connection, file, fmt, SALESFORCE_API_OBJECTS[table])
    shutil.rmtree(out / "ground_truth", ignore_errors=True)


def _tables(out: Path, system: str, fmt: str) -> list[str]:
    return [file.stem for file in (out / system).glob(f"*.{fmt}")]


def _with_delivery_events(query: str) -> str:
    """Each SENT event also reported as PROCESSED a second earlier; one in fifty DEFERRED."""
    return f"""
        with events as ({query})
        select * from events
        union all
        select * replace (
            id || '-p' as id,
            'PROCESSED' as type,
            coalesce(strftime(try_strptime(created, '%Y-%m-%dT%H:%M:%SZ') - interval 1 second,
                              '%Y-%m-%dT%H:%M:%SZ'), created) as created
        )
        from events where type = 'SENT'
        union all
        select * replace (id || '-d' as id, 'DEFERRED' as type)
        from events where type = 'DELIVERED' and hash(id) % 50 = 0
    """


def _with_history(query: str, changed_at_column: str, table: str) -> str:
    """Every row active since its last change; one in four also has an older version."""
    earlier = {
        "lead": "'Open - Not Contacted' as status",
        "opportunity": "'Prospecting' as stage_name, 'false' as is_closed, 'false' as is_won",
    }[table]
    return f"""
        with current_rows as ({query}),
        versioned as (
            select *,
                'true' as _fivetran_active,
                {changed_at_column} as _fivetran_start,
                '9999-12-31T23:59:59Z' as _fivetran_end
            from current_rows
        )
        select * from versioned
        union all
        select * replace (
            {earlier},
            'false' as _fivetran_active,
            coalesce(strftime(try_strptime(_fivetran_start, '%Y-%m-%dT%H:%M:%SZ') - interval 10 day,
                              '%Y-%m-%dT%H:%M:%SZ'), _fivetran_start) as _fivetran_start,
            _fivetran_start as _fivetran_end
        )
        from versioned
        where hash(id) % 4 = 0
    """


def _rename_to_api(connection: duckdb.DuckDBPyConnection, file: Path, fmt: str, api_table: str) -> None:
    relation = _read(connection, file, fmt)
    columns = _columns(connection, relation)
    renamed = ", ".join(f'"{column}" as "{api_name(column)}"' for column in columns)
    target = file.with_name(f"{api_table}.{fmt}")
    _write(connection, f"select {renamed} from {relation}", target if target != file else file, fmt)
    if target != file:
        file.unlink()
