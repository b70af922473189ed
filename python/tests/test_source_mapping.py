"""source_mapping.yml, the raw column resolution, the onboarding report and the volume gate.

Fast tests of the Python side; the builds on a standard org are in test_standard_org_build.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import standard_org_fixture
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.raw_contract import check_raw_files, render_report, resolve_columns, starter_mapping
from common_kpi.source_mapping import (
    GENERATED_MACRO,
    MAPPING_FILE,
    MappingError,
    load_mapping,
    macro_text,
    parse_mapping,
    requirements_table,
)
from common_kpi.volume_gate import explain

BASE = (PROJECT_DIR / MAPPING_FILE).read_text(encoding="utf-8")


def _edited(fields: dict | None = None, values: dict | None = None) -> str:
    """The project's mapping with salesforce fields and values replaced."""
    document = yaml.safe_load(BASE)
    document["systems"]["salesforce"]["fields"] = fields or {}
    document["values"] = values or {}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _problems(text: str) -> str:
    with pytest.raises(MappingError) as raised:
        parse_mapping(text, PROJECT_DIR)
    return str(raised.value)


def test_the_committed_macro_is_compiled_from_the_committed_mapping() -> None:
    assert (PROJECT_DIR / GENERATED_MACRO).read_text(encoding="utf-8") == macro_text(
        load_mapping(PROJECT_DIR)
    )


def test_an_unknown_connector_is_named_with_its_line_and_the_choices() -> None:
    message = _problems(BASE.replace("connector: fivetran", "connector: stitch", 1))
    assert "systems.salesforce.connector" in message and "stitch" in message and "fivetran" in message
    line = BASE.splitlines().index("    connector: fivetran") + 1
    assert f"line {line}" in message


def test_a_connector_of_another_system_is_refused() -> None:
    message = _problems(BASE.replace("connector: export   # the CRM", "connector: fivetran   # the CRM", 1))
    assert "'fivetran' is not a connector for crm" in message


def test_unknown_table_column_and_picklist_are_each_named() -> None:
    text = _edited(
        fields={"leads": {"status": "Status__c"}, "opportunity": {"stage": "StageName__c"}},
        values={"salesforce_lead_stat": {"Foo": "open"}},
    )
    message = _problems(text)
    assert "'leads'" in message and "is not one of our salesforce tables" in message
    assert "systems.salesforce.fields.opportunity.stage" in message and "not a column" in message
    assert "values.salesforce_lead_stat" in message and "unknown picklist" in message


def test_a_required_column_mapped_to_null_names_the_kpis() -> None:
    text = _edited(fields={"opportunity": {"stage_name": None}})
    message = _problems(text)
    assert "stage_name" in message and "成約率" in message


def test_a_value_mapped_to_an_unknown_code_lists_the_codes() -> None:
    text = _edited(values={"salesforce_lead_status": {"Contacted - Meeting Set": "sql"}})
    message = _problems(text)
    assert "'sql' is not a code" in message and "qualified" in message


def test_a_company_value_reaches_the_compiled_mapping() -> None:
    text = _edited(values={"salesforce_lead_status": {"Contacted - Meeting Set": "qualified"}})
    compiled = parse_mapping(text, PROJECT_DIR)
    assert compiled.picklists["salesforce_lead_status"]["aliases"] == [
        ["Contacted - Meeting Set", "qualified"]
    ]


def test_docs_list_what_each_kpi_needs_as_the_sources_declare_it() -> None:
    page = (PROJECT_DIR / "docs" / "your-own-data.md").read_text(encoding="utf-8")
    assert requirements_table(PROJECT_DIR) in page


def _spec(table: str) -> dict:
    return load_mapping(PROJECT_DIR).tables[table]


def test_columns_are_found_in_api_spelling_and_any_case() -> None:
    resolved = resolve_columns(
        ["Id", "IsDeleted", "StageName", "CLOSEDATE", "IsWon", "SystemModstamp", "ForecastCategoryName"],
        _spec("salesforce.opportunity"),
    )
    assert resolved["id"] == "Id" and resolved["is_deleted"] == "IsDeleted"
    assert resolved["stage_name"] == "StageName" and resolved["close_date"] == "CLOSEDATE"
    assert resolved["_fivetran_synced"] == "SystemModstamp"
    assert resolved["business_unit__c"] is None


def test_connector_aliases_for_soft_delete_sync_time_and_hubspot_properties() -> None:
    company = resolve_columns(
        ["id", "is_deleted", "properties_name", "_airbyte_extracted_at"], _spec("hubspot.company")
    )
    assert company["_fivetran_deleted"] == "is_deleted"
    assert company["property_name"] == "properties_name"
    assert company["_fivetran_synced"] == "_airbyte_extracted_at"


def test_a_mapped_column_wins_over_our_name() -> None:
    text = _edited(fields={"account": {"corporate_number__c": "Houjin_Bangou__c"}})
    spec = parse_mapping(text, PROJECT_DIR).tables["salesforce.account"]
    resolved = resolve_columns(["Id", "Name", "corporate_number__c", "Houjin_Bangou__c"], spec)
    assert resolved["corporate_number__c"] == "Houjin_Bangou__c"


@pytest.fixture(scope="module")
def fixture_orgs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("orgs")
    return {
        "fivetran_history": standard_org_fixture.write(root / "fivetran", history_mode=True),
        "api": standard_org_fixture.write(root / "api", spelling="api"),
    }


def test_onboarding_report_on_a_standard_org(fixture_orgs: dict[str, Path]) -> None:
    report = check_raw_files(fixture_orgs["fivetran_history"])
    assert report.errors == []
    text = render_report(report)
    assert "corporate_number__c: absent → companies are matched by web domain and name only" in text
    assert "salesforce/opportunity.csv (history mode: current rows)" in text
    event_types = {p.picklist: p for p in report.picklists}["hubspot_email_event_type"]
    assert ("BLOCKED", 1, None) in event_types.values and ("PROCESSED", 1, "processed") in event_types.values
    stages = dict(
        (value, code)
        for value, _, code in {p.picklist: p for p in report.picklists}["salesforce_opportunity_stage"].values
    )
    assert stages["Negotiation/Review"] == "negotiation" and stages["Closed Won"] == "closed_won"


def test_api_spelling_needs_only_the_connector_setting(fixture_orgs: dict[str, Path]) -> None:
    # the project's mapping says fivetran: every Salesforce file is reported with what was found
    report = check_raw_files(fixture_orgs["api"])
    assert len(report.errors) == 8
    assert any(
        "found OpportunityLineItem.csv instead" in error and "api_export" in error for error in report.errors
    )
    # the starter mapping it writes recognises the API spelling, and with it all is found
    starter = starter_mapping(report)
    assert yaml.safe_load(starter)["systems"]["salesforce"]["connector"] == "api_export"
    report = check_raw_files(fixture_orgs["api"], mapping=parse_mapping(starter, PROJECT_DIR))
    assert report.errors == []
    lead = next(table for table in report.tables if table.name == "salesforce.lead")
    assert lead.found_as == "salesforce/Lead.csv" and lead.mapped["created_date"] == "CreatedDate"
    assert lead.mapped["_fivetran_synced"] == "SystemModstamp"


def test_a_missing_required_column_names_the_kpi_and_the_mapping_line(
    fixture_orgs: dict[str, Path], tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(fixture_orgs["api"], raw)
    lead_file = raw / "salesforce" / "Lead.csv"
    lines = lead_file.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    index = header.index("CreatedDate")
    lead_file.write_text(
        "\n".join(",".join(cell for i, cell in enumerate(line.split(",")) if i != index) for line in lines)
        + "\n",
        encoding="utf-8",
    )
    api = parse_mapping(BASE.replace("connector: fivetran", "connector: api_export", 1), PROJECT_DIR)
    report = check_raw_files(raw, mapping=api)
    (error,) = [error for error in report.errors if "salesforce.lead" in error]
    assert "column 'created_date' is missing" in error and "商談化率" in error
    assert "systems: salesforce: fields: lead: created_date: <your column>" in error


def _fake_build(path: Path, statuses: dict[str, int]) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema main_staging")
        staged = 10
        quarantined = sum(statuses.values())
        connection.execute(
            "create table main_staging.stg_load_audit as select 'salesforce.lead' as raw_table_id, "
            f"'salesforce' as source_system, 'lead' as source_table, "
            f"{staged + quarantined} as raw_row_count, "
            f"{staged} as staged_row_count, {quarantined} as quarantined_row_count"
        )
        connection.execute(
            "create table main_staging.stg_quarantine (source_system varchar, source_table varchar, "
            "quarantine_reason varchar, raw_row_json varchar)"
        )
        for status, count in statuses.items():
            for _ in range(count):
                connection.execute(
                    "insert into main_staging.stg_quarantine "
                    "values ('salesforce', 'lead', 'unknown lead status', ?)",
                    [f'{{"id": "00Q", "status": "{status}"}}'],
                )
    return path


def test_volume_gate_message_names_table_values_and_the_mapping_line(tmp_path: Path) -> None:
    message = explain(_fake_build(tmp_path / "b.duckdb", {"Contacted - Meeting Set": 30, "On Hold": 5}))
    assert "salesforce.lead: 35 of 45 rows quarantined (77.8%)" in message
    assert "unknown lead status: 35 rows" in message
    assert "'Contacted - Meeting Set' (30), 'On Hold' (5)" in message
    values_line = BASE.splitlines().index("values:") + 1
    assert f"{MAPPING_FILE} line {values_line} (values)" in message


def test_volume_gate_is_silent_under_the_limit(tmp_path: Path) -> None:
    assert explain(_fake_build(tmp_path / "b.duckdb", {})) == ""


@pytest.mark.slow
def test_the_report_through_dbt_equals_the_report_from_the_files(
    fixture_orgs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On a warehouse target check-raw reads the tables as dbt does (macro raw_inventory); on
    DuckDB files both ways must tell the same."""
    from common_kpi.raw_contract import check_raw_via_dbt

    raw = fixture_orgs["fivetran_history"]
    monkeypatch.setenv("COMMON_KPI_RAW_PATH", str(raw))
    monkeypatch.setenv("COMMON_KPI_DUCKDB_PATH", str(tmp_path / "inventory.duckdb"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    via_dbt, from_files = check_raw_via_dbt(), check_raw_files(raw)
    assert via_dbt.errors == from_files.errors == []
    summary = [(t.name, t.row_count, t.mapped, t.optional_missing, t.extra) for t in via_dbt.tables]
    assert summary == [
        (t.name, t.row_count, t.mapped, t.optional_missing, t.extra) for t in from_files.tables
    ]
    assert [(p.picklist, p.values) for p in via_dbt.picklists] == [
        (p.picklist, p.values) for p in from_files.picklists
    ]


def test_a_column_mixing_zoned_and_unzoned_timestamps_is_named(
    fixture_orgs: dict[str, Path], tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(fixture_orgs["fivetran_history"], raw)
    lead_file = raw / "salesforce" / "lead.csv"
    text = lead_file.read_text(encoding="utf-8")
    # one lead typed in by hand in local time, without the zone the connector writes
    lead_file.write_text(text.replace("2026-10-12T02:00:05Z", "2026-10-12 11:00:05", 1), encoding="utf-8")
    notices = check_raw_files(raw).notices
    (notice,) = [notice for notice in notices if notice.startswith("salesforce.lead.created_date")]
    # 4 leads and, in history mode, the earlier version of one: 5 rows
    assert "1 timestamps have no time zone while 4 have one" in notice
    assert not [
        notice
        for notice in check_raw_files(fixture_orgs["fivetran_history"]).notices
        if "time zone" in notice
    ]
