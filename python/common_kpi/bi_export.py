"""The file BI tools open: the marts only, without re-identifiable keys, personal data masked.

The published warehouse (`warehouse/common_kpi.duckdb`) holds every layer: staging and
intermediate carry emails, phone numbers and names, and views that read the raw files. BI
tools get their own published file (`warehouse/bi/common_kpi.duckdb`) with:

- only the schemas in BI_SCHEMAS (the marts, and the reference seeds their readers label
  codes with: departments, channels, ABM tiers; mappings and calendars, no personal data),
  copied as plain tables (no view can reach back into other layers or the raw files);
- the columns in DROPPED_COLUMNS left out: `dim_people.email_hash` is an unkeyed md5 of an
  email address, which anyone holding a list of addresses can reverse;
- every text value that looks like an email address or a Japanese phone number (free text
  typed by a user, an opportunity named after a contact) masked, with the patterns of the
  personal-data check (quality.yml `pii:`); the count per column is reported.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BI_SCHEMAS = ("main_marts", "main_reference")
DROPPED_COLUMNS = {("main_marts", "dim_people"): ("email_hash",)}
EMAIL_MASK = "[メール削除 / email removed]"
PHONE_MASK = "[電話番号削除 / phone removed]"


@dataclass
class BiExportReport:
    tables: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    masked: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        masked = sum(self.masked.values())
        where = ", ".join(f"{column} ({count})" for column, count in sorted(self.masked.items()))
        found = (
            f"masked {masked} value(s) with an email or phone number: {where}"
            if masked
            else "no email or phone number found in text values"
        )
        return (
            f"BI file: {len(self.tables)} tables of {', '.join(BI_SCHEMAS)}; dropped "
            f"{', '.join(self.dropped_columns) or 'no column'}; {found}"
        )


def default_bi_path(published: Path) -> Path:
    """warehouse/bi/<published name>: the same file name, so DuckDB gives the BI file the same
    catalog name (`common_kpi`) and the relations of dbt's semantic manifest resolve in it."""
    return Path(os.environ.get("COMMON_KPI_BI_PATH", published.parent / "bi" / published.name))


def _pii_rules() -> Any:
    from common_kpi.quality.config import load_config
    from common_kpi.quality.pii import PiiRules

    return PiiRules.from_config(load_config().pii)


def mask_text(value: str, rules: Any) -> str:
    """`value` with every email address and phone number replaced by a marker (NFKC-folded first)."""
    folded = unicodedata.normalize("NFKC", value)
    masked = rules.email_pattern.sub(EMAIL_MASK, folded)

    def phone(match: re.Match[str]) -> str:
        candidate = match.group(0)
        digits = re.sub(r"\D", "", candidate)
        for prefix, (low, high) in rules.phone_digit_counts.items():
            if candidate.startswith(prefix) and low <= len(digits) <= high:
                return PHONE_MASK
        return candidate

    masked = rules.phone_candidate_pattern.sub(phone, masked)
    return value if masked == folded else masked


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def export_bi(build_file: Path, bi_file: Path) -> BiExportReport:
    """Write `bi_file` (new) from the marts of `build_file`; the caller publishes it."""
    import duckdb

    rules = _pii_rules()
    report = BiExportReport()
    bi_file.parent.mkdir(parents=True, exist_ok=True)
    bi_file.unlink(missing_ok=True)
    with duckdb.connect(str(bi_file)) as connection:
        connection.execute(f"attach {_literal(build_file)} as build_source (read_only)")
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'build_source' and table_type = 'BASE TABLE' "
            f"and table_schema in ({', '.join(_literal(s) for s in BI_SCHEMAS)}) order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            dropped = DROPPED_COLUMNS.get((schema, table), ())
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'build_source' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            kept = [(name, data_type) for name, data_type in columns if name not in dropped]
            report.dropped_columns += [f"{table}.{name}" for name, _ in columns if name in dropped]
            target = f"{_quote(schema)}.{_quote(table)}"
            connection.execute(f"create schema if not exists {_quote(schema)}")
            connection.execute(
                f"create table {target} as select {', '.join(_quote(name) for name, _ in kept)} "
                f"from build_source.{target}"
            )
            report.tables.append(f"{schema}.{table}")
            for name, data_type in kept:
                if not str(data_type).upper().startswith(rules.text_types):
                    continue
                column = _quote(name)
                # Only values with an @ or a digit can hold an email or a phone number.
                candidates = connection.execute(
                    f"select distinct {column} from {target} where regexp_matches({column}, '[@＠0-9０-９]')"
                ).fetchall()
                replacements = [(mask_text(value, rules), value) for (value,) in candidates]
                replacements = [(new, old) for new, old in replacements if new != old]
                if replacements:
                    connection.executemany(
                        f"update {target} set {column} = ? where {column} = ?", replacements
                    )
                    report.masked[f"{table}.{name}"] = len(replacements)
        connection.execute("detach build_source")
        connection.execute("checkpoint")
    return report


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"
