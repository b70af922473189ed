"""`common-kpi check-raw`: check the raw data against the sources and source_mapping.yml.

dbt reads raw files lazily; a missing file or column would surface as a binder error deep
inside a staging view. This check runs first, with the same rules as the staging models
(macros/raw_source.sql): a raw column is found under our name, its API spelling or a
connector alias, in any letter case, or under the name source_mapping.yml gives it.

It is also the onboarding report for a company's first run: errors first (a missing table,
an unreadable file, a column a KPI needs), then one line per table (found as, rows, columns
mapped, optional columns missing and what that costs, extra columns), then the picklist values
found in the data with their counts and what each maps to. `--write-mapping FILE` writes a
starter source_mapping.yml from what it found, for the user to review.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from common_kpi import PROJECT_DIR
from common_kpi.raw_encoding import check_csv_encoding
from common_kpi.source_mapping import (
    MAPPING_FILE,
    PICKLISTS,
    SALESFORCE_API_OBJECTS,
    CompiledMapping,
    MappingError,
    load_mapping,
    normalized_name,
)

SOURCES_GLOB = "models/staging/*/_*__sources.yml"
OPTIONAL_SOURCES = {"ground_truth"}

# What a company loses without an optional column (shown in the onboarding report).
OPTIONAL_COLUMN_COSTS: dict[str, str] = {
    "corporate_number__c": "companies are matched by web domain and name only (no 法人番号)",
    "property_corporate_number": "HubSpot companies are matched by domain and name only (no 法人番号)",
    "corporate_number": "CRM customers are matched by Salesforce account id, domain and name only",
    "business_unit__c": "every record is in one business unit, 全社 (no 事業部 breakdown)",
    "property_business_unit": "every record is in one business unit, 全社 (no 事業部 breakdown)",
    "business_unit": "every record is in one business unit, 全社 (no 事業部 breakdown)",
    "email": "people are matched across systems by sync ids only, not by email",
    "property_email": "people are matched across systems by sync ids only, not by email",
    "property_salesforceleadid": "MA contacts are linked to SFA leads by email only",
    "property_hubspotscore": "MQLs come from the lifecycle stage only (no score threshold)",
    "amount": "won deals have no amount: priorities cannot price the funnel KPIs",
    "is_closed": "open / won / lost comes from the stage seed only",
    "is_won": "open / won / lost comes from the stage seed only",
    "_fivetran_synced": "no source freshness check",
    "department": "reps have no owner department",
    "status": "SQL comes from conversion (and HubSpot's SQL stage) only",
}

# Where each picklist's values live in the raw data: (system, table, contract column).
PICKLIST_COLUMNS: dict[str, tuple[str, str, str]] = {
    "salesforce_lead_status": ("salesforce", "lead", "status"),
    "salesforce_opportunity_stage": ("salesforce", "opportunity", "stage_name"),
    "salesforce_opportunity_type": ("salesforce", "opportunity", "type"),
    "salesforce_task_type": ("salesforce", "task", "type"),
    "salesforce_user_department": ("salesforce", "user", "department"),
    "salesforce_lead_source": ("salesforce", "lead", "lead_source"),
    "hubspot_analytics_source": ("hubspot", "contact", "property_hs_analytics_source"),
    "hubspot_lifecycle_stage": ("hubspot", "contact", "property_lifecyclestage"),
    "hubspot_email_event_type": ("hubspot", "email_event", "type"),
}
# Picklists whose value decides a funnel stage: an unknown value is quarantined.
STAGE_DEFINING_PICKLISTS = {
    "salesforce_lead_status",
    "salesforce_opportunity_stage",
    "salesforce_opportunity_type",
    "hubspot_lifecycle_stage",
}
CASE_INSENSITIVE_PICKLISTS = {
    "salesforce_lead_source",
    "hubspot_analytics_source",
    "hubspot_lifecycle_stage",
    "hubspot_email_event_type",
}
# Words that give away a custom field's role when a company named it its own way.
CUSTOM_FIELD_HINTS = {
    "corporate_number__c": ("houjin", "hojin", "corporate_number", "corporatenumber", "法人番号"),
    "business_unit__c": ("business_unit", "businessunit", "division", "事業部"),
}


class RawContractError(Exception):
    """The raw data cannot be built: the message names every table and column at fault."""


@dataclass
class TableReport:
    name: str
    found_as: str | None = None
    row_count: int = 0
    mapped: dict[str, str] = field(default_factory=dict)
    optional_missing: list[str] = field(default_factory=list)
    required_missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    history_mode: bool = False
    raw_columns: list[str] = field(default_factory=list)


@dataclass
class PicklistReport:
    picklist: str
    where: str
    values: list[tuple[str, int, str | None]]  # value, count, our code (None: unknown)


@dataclass
class RawCheckReport:
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    tables: list[TableReport] = field(default_factory=list)
    picklists: list[PicklistReport] = field(default_factory=list)
    root: Path | None = None
    file_format: str = "csv"


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


def raw_file(root: Path, system: str, identifier: str, file_format: str) -> Path:
    """The file of a raw table, named exactly as the staging models read it."""
    return root / system / f"{identifier}.{file_format}"


def _similar_files(root: Path, system: str, table: str, file_format: str) -> list[str]:
    """Files of the system folder that could be the table under another spelling."""
    if not (root / system).is_dir():
        return []
    wanted = {normalized_name(table), normalized_name(SALESFORCE_API_OBJECTS.get(table, table))}
    return sorted(
        file.name for file in (root / system).glob(f"*.{file_format}") if normalized_name(file.stem) in wanted
    )


def _csv_header(file: Path) -> list[str]:
    with file.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _relation(file: Path, file_format: str, columns: list[str] | None = None) -> str:
    location = str(file).replace("'", "''")
    if file_format == "parquet":
        return f"read_parquet('{location}')"
    # The dialect is given, not sniffed: on a file cut mid-row or mid-quote DuckDB's sniffer
    # silently reads one column; strict parsing names the line at fault instead.
    declared = ", ".join(f"'{name.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for name in columns or [])
    return (
        f"read_csv('{location}', auto_detect = false, header = true, delim = ',', quote = '\"', "
        f"escape = '\"', strict_mode = true, columns = {{{declared}}})"
    )


def _read_header(connection: Any, file: Path, file_format: str) -> tuple[list[str], str, int]:
    if file_format == "parquet":
        relation = _relation(file, file_format)
        columns = [row[0] for row in connection.execute(f"describe select * from {relation}").fetchall()]
    else:
        columns = _csv_header(file)
        relation = _relation(file, file_format, columns)
    row_count = connection.execute(f"select count(*) from {relation}").fetchone()[0]
    return columns, relation, int(row_count)


def _csv_error_summary(error: Exception) -> str:
    """DuckDB's first error line plus what it found wrong (not the raw line, nor its fix hints)."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    detail = [line for line in lines[1:3] if not line.startswith(("Original Line", "Possible fixes"))]
    return "; ".join(lines[:1] + detail[:1])


def resolve_columns(raw_columns: list[str], spec: dict[str, Any]) -> dict[str, str | None]:
    """Contract column → raw column (or None): the rules of macros/raw_source.sql."""
    by_normalized: dict[str, str] = {}
    for raw_column in raw_columns:
        by_normalized.setdefault(normalized_name(raw_column), raw_column)
    resolved: dict[str, str | None] = {}
    for column in spec["columns"]:
        found = None
        for candidate in column["candidates"]:
            if candidate in raw_columns:
                found = candidate
            elif normalized_name(candidate) in by_normalized:
                found = by_normalized[normalized_name(candidate)]
            if found:
                break
        resolved[column["name"]] = found
    return resolved


def missing_column_message(table: str, column: dict[str, Any], extra: list[str]) -> str:
    looked_for = ", ".join(column["candidates"]) or "nothing: mapped to null"
    hint = f" (the table has unexpected {', '.join(extra[:8])}: renamed?)" if extra else ""
    system, name = table.split(".", 1)
    return (
        f"{table}: column '{column['name']}' is missing (looked for: {looked_for}){hint}; it is "
        f"required for {', '.join(column['required_for'])}. Name your column in {MAPPING_FILE} "
        f"under systems: {system}: fields: {name}: {column['name']}: <your column>"
    )


def _table_report(
    connection: Any, root: Path, file_format: str, table: str, spec: dict[str, Any], report: RawCheckReport
) -> tuple[TableReport, str | None]:
    system = table.split(".", 1)[0]
    table_report = TableReport(table)
    file = raw_file(root, system, spec["identifier"], file_format)
    if not file.exists():
        name = table.split(".", 1)[1]
        similar = _similar_files(root, system, name, file_format)
        found = f"; found {', '.join(similar)} instead" if similar else ""
        report.errors.append(
            f"{table}: file {file} is missing{found} (the table's name comes from {MAPPING_FILE}: "
            f"systems: {system}: connector (fivetran: {name}; airbyte / api_export: "
            f"{SALESFORCE_API_OBJECTS.get(name, name)}), or systems: {system}: tables: {name}: <your name>)"
        )
        return table_report, None
    if file.stat().st_size == 0:
        report.errors.append(f"{table}: file {file} is empty (not even a header row)")
        return table_report, None
    if file_format == "csv" and (problem := check_csv_encoding(table, file)):
        report.errors.append(problem)  # raw_encoding.py: file, line and encoding named
        return table_report, None
    try:
        raw_columns, relation, row_count = _read_header(connection, file, file_format)
    except Exception as error:  # duckdb.Error and decoding errors: named, never a traceback
        report.errors.append(f"{table}: file {file} cannot be read ({_csv_error_summary(error)})")
        return table_report, None
    _fill_table_report(table_report, str(file.relative_to(root)), raw_columns, row_count, spec, report)
    _check_time_zones(connection, relation, table_report, report)
    return table_report, relation


TIMESTAMP_PATTERN = r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}[T ]\d{1,2}:\d{2}"
ZONE_PATTERN = r"(Z|[+-]\d{2}:?\d{2})$"


def _check_time_zones(connection: Any, relation: str, table: TableReport, report: RawCheckReport) -> None:
    """A column whose timestamps are partly with a zone (Z, +09:00) and partly without is read
    half as UTC and half as whatever the writer meant: say so, with the counts."""
    if not table.mapped or table.row_count == 0:
        return
    counts = []
    for raw in table.mapped.values():
        quoted = raw.replace('"', '""')
        counts.append(
            f"count(*) filter (where regexp_matches(\"{quoted}\", '{TIMESTAMP_PATTERN}') "
            f"and regexp_matches(\"{quoted}\", '{ZONE_PATTERN}')), "
            f"count(*) filter (where regexp_matches(\"{quoted}\", '{TIMESTAMP_PATTERN}') "
            f"and not regexp_matches(\"{quoted}\", '{ZONE_PATTERN}'))"
        )
    row = connection.execute(f"select {', '.join(counts)} from {relation}").fetchone()
    for index, (column, raw) in enumerate(table.mapped.items()):
        zoned, unzoned = row[2 * index], row[2 * index + 1]
        if zoned and unzoned:
            report.notices.append(
                f"{table.name}.{raw}: {unzoned:,} timestamps have no time zone while {zoned:,} have one; "
                f"those without are read as UTC: check the export ({column})"
            )


def _fill_table_report(
    table_report: TableReport,
    found_as: str,
    raw_columns: list[str],
    row_count: int,
    spec: dict[str, Any],
    report: RawCheckReport,
) -> None:
    """Columns mapped, optional and required ones missing, extras: the rules of raw_source."""
    table = table_report.name
    table_report.found_as = found_as
    table_report.row_count = row_count
    table_report.raw_columns = raw_columns
    report.row_counts[table] = row_count
    resolved = resolve_columns(raw_columns, spec)
    used = {raw for raw in resolved.values() if raw}
    active = {normalized_name(name) for name in spec["history_mode_active_columns"]}
    table_report.history_mode = any(normalized_name(name) in active for name in raw_columns)
    table_report.extra = [
        name for name in raw_columns if name not in used and normalized_name(name) not in active
    ]
    for column in spec["columns"]:
        raw = resolved[column["name"]]
        if raw:
            table_report.mapped[column["name"]] = raw
        elif column["required_for"]:
            table_report.required_missing.append(column["name"])
            report.errors.append(missing_column_message(table, column, table_report.extra))
        else:
            table_report.optional_missing.append(column["name"])
    if table_report.extra:
        shown = ", ".join(table_report.extra[:8]) + (" ..." if len(table_report.extra) > 8 else "")
        report.notices.append(
            f"{table}: {len(table_report.extra)} extra column(s) ignored by staging: {shown}"
        )
    if row_count == 0:
        report.notices.append(f"{table}: table has no rows; KPIs that need it show no_data")


def _seed_codes(project_dir: Path, picklist: str) -> dict[str, str]:
    spec = PICKLISTS[picklist]
    with (project_dir / "seeds" / f"{spec.seed}.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row[spec.value_column]: row[spec.code_column]
            for row in csv.DictReader(handle)
            if spec.source_system_filter in (None, row.get("source_system"))
        }


def _picklist_reports(
    connection: Any,
    project_dir: Path,
    mapping: CompiledMapping,
    relations: dict[str, tuple[str, TableReport]],
) -> list[PicklistReport]:
    reports = []
    for picklist, (system, table, column) in PICKLIST_COLUMNS.items():
        key = f"{system}.{table}"
        if key not in relations or column not in relations[key][1].mapped:
            continue
        relation, table_report = relations[key]
        raw_column = table_report.mapped[column].replace('"', '""')
        rows = connection.execute(
            f'select trim("{raw_column}") as value, count(*) from {relation} '
            f"where nullif(trim(\"{raw_column}\"), '') is not null group by 1 order by 2 desc, 1 limit 50"
        ).fetchall()
        reports.append(
            _picklist_report(project_dir, mapping, picklist, key, table_report.mapped[column], rows)
        )
    return reports


def _picklist_report(
    project_dir: Path,
    mapping: CompiledMapping,
    picklist: str,
    table: str,
    raw_column: str,
    rows: list[Any],
) -> PicklistReport:
    codes = _seed_codes(project_dir, picklist)
    codes.update(dict(mapping.picklists[picklist]["aliases"]))
    # staging compares these without letter case (the others exactly, as Salesforce does)
    folded = picklist in CASE_INSENSITIVE_PICKLISTS
    lookup = {value.lower(): code for value, code in codes.items()} if folded else codes
    values = [(value, int(count), lookup.get(value.lower() if folded else value)) for value, count in rows]
    return PicklistReport(picklist, f"{table}.{raw_column}", values)


def check_raw_files(
    root: Path,
    file_format: str = "csv",
    project_dir: Path = PROJECT_DIR,
    mapping: CompiledMapping | None = None,
) -> RawCheckReport:
    """Check every raw table of the mapping (default: the project's) against its file under `root`."""
    import duckdb

    report = RawCheckReport(root=root, file_format=file_format)
    if mapping is None:
        try:
            mapping = load_mapping(project_dir)
        except MappingError as error:
            report.errors.append(str(error))
            return report
    connection = duckdb.connect()
    relations: dict[str, tuple[str, TableReport]] = {}
    for table, spec in mapping.tables.items():
        table_report, relation = _table_report(connection, root, file_format, table, spec, report)
        report.tables.append(table_report)
        if relation:
            relations[table] = (relation, table_report)
    report.picklists = _picklist_reports(connection, project_dir, mapping, relations)
    return report


def _dbt_inventory(value_columns: dict[str, list[str]], project_dir: Path) -> dict[str, Any]:
    """The raw_inventory macro's answer: the raw tables as dbt reads them on its target."""
    from common_kpi.build import dbt_executable

    env = {**os.environ, "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(project_dir))}
    completed = subprocess.run(
        [
            dbt_executable(),
            "run-operation",
            "raw_inventory",
            "--args",
            json.dumps({"value_columns": value_columns}),
        ],
        cwd=project_dir,
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if "RAW_INVENTORY " in line:
            return json.loads(line.split("RAW_INVENTORY ", 1)[1])
    raise RawContractError(
        "dbt could not read the raw tables on its target:\n" + (completed.stdout + completed.stderr)[-3000:]
    )


def check_raw_via_dbt(
    project_dir: Path = PROJECT_DIR, mapping: CompiledMapping | None = None
) -> RawCheckReport:
    """The same report, with the raw tables read by dbt on its target (a warehouse's schemas)."""
    mapping = mapping or load_mapping(project_dir)
    report = RawCheckReport()
    inventory = _dbt_inventory({}, project_dir)
    for table, spec in mapping.tables.items():
        entry = inventory[table]
        table_report = TableReport(table)
        report.tables.append(table_report)
        if entry["error"]:
            report.errors.append(f"{table}: {entry['error']}")
            continue
        _fill_table_report(
            table_report, entry["relation"], entry["columns"], entry["row_count"], spec, report
        )
    found = {table.name: table for table in report.tables}
    wanted: dict[str, list[str]] = {}
    for system, table, column in PICKLIST_COLUMNS.values():
        key = f"{system}.{table}"
        if column in found[key].mapped:
            wanted.setdefault(key, []).append(found[key].mapped[column])
    values = _dbt_inventory(wanted, project_dir) if wanted else {}
    for picklist, (system, table, column) in PICKLIST_COLUMNS.items():
        key = f"{system}.{table}"
        if column in found[key].mapped:
            raw_column = found[key].mapped[column]
            rows = values[key]["values"].get(raw_column, [])
            report.picklists.append(_picklist_report(project_dir, mapping, picklist, key, raw_column, rows))
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
            "raw data does not match the declared sources:\n  " + "\n  ".join(report.errors)
        )
    return report


# ── the onboarding report ──────────────────────────────────────────────────────────────────


def render_report(report: RawCheckReport) -> str:
    lines: list[str] = []
    if report.errors:
        lines.append(f"ERRORS ({len(report.errors)}): the build cannot start until these are fixed")
        lines += [f"  ✗ {error}" for error in report.errors]
        lines.append("")
    lines.append("TABLES: found as | rows | columns mapped | optional missing | required missing | extra")
    for table in report.tables:
        if table.found_as is None:
            lines.append(f"  {table.name:<36} not found")
            continue
        total = len(table.mapped) + len(table.optional_missing) + len(table.required_missing)
        history = " (history mode: current rows)" if table.history_mode else ""
        lines.append(
            f"  {table.name:<36} {table.found_as}{history} | {table.row_count:,} rows | "
            f"{len(table.mapped)}/{total} mapped | {len(table.optional_missing)} optional missing | "
            f"{len(table.required_missing)} required missing | {len(table.extra)} extra"
        )
        for column in table.optional_missing:
            cost = OPTIONAL_COLUMN_COSTS.get(column, "read as empty")
            lines.append(f"      - {column}: absent → {cost}")
    if report.picklists:
        lines.append("")
        lines.append("PICKLIST VALUES found in the data → our code (? = unknown)")
        for picklist in report.picklists:
            unknown = [value for value in picklist.values if value[2] is None]
            effect = "quarantined" if picklist.picklist in STAGE_DEFINING_PICKLISTS else "kept as 'other'"
            lines.append(f"  {picklist.picklist} ({picklist.where}): {len(unknown)} unknown ({effect})")
            for value, count, code in picklist.values[:15]:
                lines.append(f"      {value!r:<40} {count:>9,}  → {code or '?'}")
            if len(picklist.values) > 15:
                lines.append(f"      ... {len(picklist.values) - 15} more values")
    return "\n".join(lines)


def detect_connector(report: RawCheckReport, system: str) -> str:
    """The connector whose spelling the system's tables (or files) show."""
    if system in {"crm", "finance"}:
        return "export"
    columns = [
        column
        for table in report.tables
        if table.name.startswith(f"{system}.")
        for column in table.raw_columns
    ]
    api_files = []
    if report.root is not None and (report.root / system).is_dir():
        api_files = [
            file
            for file in sorted((report.root / system).glob(f"*.{report.file_format}"))
            if file.stem in SALESFORCE_API_OBJECTS.values()
        ]
        if api_files and report.file_format == "csv":
            columns += _csv_header(api_files[0])
    if any(column.lower().startswith("_airbyte") for column in columns):
        return "airbyte"
    if system == "salesforce" and (
        api_files or any(column in {"Id", "IsDeleted", "CreatedDate"} for column in columns)
    ):
        return "api_export"
    return "fivetran"


def starter_mapping(report: RawCheckReport) -> str:
    """A source_mapping.yml from what the data shows; unknown values are left for review."""
    lines = [
        f"# Starter {MAPPING_FILE} written by `common-kpi check-raw` from the data it found.",
        "# Review it, replace every '?' with one of the codes listed, and copy it over the",
        f"# project's {MAPPING_FILE}.",
        "systems:",
    ]
    for system in ("salesforce", "hubspot", "crm", "finance"):
        lines.append(f"  {system}:")
        lines.append(f"    connector: {detect_connector(report, system)}")
        tables = [t for t in report.tables if t.name.startswith(f"{system}.")]
        renamed = []
        for table in tables:
            name = table.name.split(".", 1)[1]
            if table.found_as and Path(table.found_as).stem not in {
                name,
                SALESFORCE_API_OBJECTS.get(name, name),
            }:
                renamed.append(f"      {name}: {Path(table.found_as).stem}")
        if renamed:
            lines += ["    tables:", *renamed]
        fields = []
        for table in tables:
            name = table.name.split(".", 1)[1]
            entries = []
            for column in table.optional_missing:
                hints = CUSTOM_FIELD_HINTS.get(column, ())
                guess = (
                    next((raw for raw in table.extra if any(hint in raw.lower() for hint in hints)), None)
                    if hints
                    else None
                )
                if guess:
                    entries.append(f"        {column}: {guess}   # guessed from the column name: check")
            if entries:
                fields += [f"      {name}:", *entries]
        if fields:
            lines += ["    fields:", *fields]
    lines.append("values:")
    wrote_values = False
    for picklist in report.picklists:
        unknown = [value for value in picklist.values if value[2] is None]
        if not unknown:
            continue
        wrote_values = True
        spec = PICKLISTS[picklist.picklist]
        lines.append(f"  {picklist.picklist}:   # {spec.description}")
        for value, count, _ in unknown:
            quoted = value.replace('"', '\\"')
            lines.append(f'    # "{quoted}": ?   # {count:,} rows')
    if not wrote_values:
        lines[-1] = "values: {}"
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="common-kpi check-raw", description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=None, help="raw data folder")
    parser.add_argument("--format", choices=["csv", "parquet"], default=None)
    parser.add_argument(
        "--write-mapping",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"write a starter {MAPPING_FILE} from what the data shows",
    )
    parser.add_argument(
        "--via-dbt",
        action="store_true",
        help="read the raw tables through dbt on its target (the default when COMMON_KPI_TARGET is "
        "not duckdb: a warehouse's synced schemas)",
    )
    args = parser.parse_args(argv)
    if args.via_dbt or os.environ.get("COMMON_KPI_TARGET", "duckdb") != "duckdb":
        try:
            report = check_raw_via_dbt()
        except RawContractError as error:
            print(f"check-raw: {error}", file=sys.stderr)
            return 2
        return _print_report(report, args.write_mapping)
    root = args.path or raw_path()
    if not root.is_dir():
        print(
            f"check-raw: raw data folder {root} does not exist: run `make data` or set COMMON_KPI_RAW_PATH",
            file=sys.stderr,
        )
        return 2
    return _print_report(check_raw_files(root, args.format or raw_format()), args.write_mapping)


def _print_report(report: RawCheckReport, write_mapping: Path | None) -> int:
    print(render_report(report))
    for notice in report.notices:
        print(f"check-raw: notice: {notice}", file=sys.stderr)
    if write_mapping:
        write_mapping.write_text(starter_mapping(report), encoding="utf-8")
        print(f"\nwrote a starter mapping to {write_mapping}: review it, then copy it to {MAPPING_FILE}")
    if report.errors:
        return 2
    total = sum(report.row_counts.values())
    print(f"\ncheck-raw: {len(report.row_counts)} tables, {total:,} rows, every required column found")
    return 0
