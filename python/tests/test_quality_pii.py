"""Personal data (emails, phone numbers, names of people) never reaches the marts BI tools read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.quality.config import load_config
from common_kpi.quality.pii import (
    PiiRules,
    check_manifest,
    check_pii,
    looks_like_email,
    looks_like_phone,
    pii_columns,
)

PII = load_config().pii
RULES = PiiRules.from_config(PII)


def _model(name: str, path: str, columns: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "resource_type": "model",
        "name": name,
        "alias": name,
        "schema": "main_marts" if "marts" in path else "main_staging",
        "original_file_path": path,
        "columns": {column: {"name": column, **spec} for column, spec in columns.items()},
    }


def _manifest(*models: dict[str, Any]) -> dict[str, Any]:
    return {"nodes": {f"model.common_kpi.{model['name']}": model for model in models}}


STAGING = _model(
    "stg_people",
    "models/staging/x/stg_people.sql",
    {
        "person_id": {},
        "email": {"meta": {"contains_pii": True}},
        "phone": {"config": {"meta": {"contains_pii": True}}},
    },
)


@pytest.mark.parametrize(
    ("value", "is_email"),
    [
        ("taro.yamada@example.co.jp", True),
        ("ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｃｏｍ", True),
        ("example.co.jp", False),
        ("a@b", False),
    ],
)
def test_email_pattern(value: str, is_email: bool) -> None:
    assert looks_like_email(value, RULES) is is_email


@pytest.mark.parametrize(
    ("value", "is_phone"),
    [
        ("03-1234-5678", True),
        ("090-1234-5678", True),
        ("０９０１２３４５６７８", True),
        ("+81-3-1234-5678", True),
        ("0120-123-456", True),
        ("2026-01-07", False),  # a date
        ("1234567890123", False),  # a 法人番号 (13 digits)
        ("0123456789012", False),  # a 法人番号 starting with 0
        ("00Q5g00000abcDEF", False),  # a Salesforce id
        ("1200000", False),  # an amount
    ],
)
def test_phone_pattern(value: str, is_phone: bool) -> None:
    assert looks_like_phone(value, RULES) is is_phone


def test_manifest_check_flags_a_tagged_mart_column_and_a_carried_name() -> None:
    clean_mart = _model(
        "dim_people", "models/marts/funnel/dim_people.sql", {"person_id": {}, "email_hash": {}}
    )
    tagged_mart = _model(
        "fct_x", "models/marts/x/fct_x.sql", {"owner_name": {"meta": {"contains_pii": True}}}
    )
    carried_mart = _model("fct_y", "models/marts/x/fct_y.sql", {"email": {}})

    assert check_manifest(_manifest(STAGING, clean_mart), RULES)[1] == []
    failures = check_manifest(_manifest(STAGING, clean_mart, tagged_mart, carried_mart), RULES)[1]

    assert sorted((failure.table, failure.column) for failure in failures) == [
        ("fct_x", "owner_name"),
        ("fct_y", "email"),
    ]
    assert "FAIL fct_y | email | no column named like a personal-data column" in failures[1].line()


def test_value_scan_flags_emails_and_phones_in_a_mart_without_repeating_them(tmp_path: Path) -> None:
    warehouse = tmp_path / "common_kpi.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema main_marts")
        connection.execute(
            "create table main_marts.fct_leak as select * from (values "
            "('p1', 'note: call 090-1234-5678', 'ok'), ('p2', 'taro@example.com', 'ok')) "
            "as t(person_id, memo, status)"
        )
    manifest = _manifest(_model("fct_leak", "models/marts/x/fct_leak.sql", {"person_id": {}, "memo": {}}))
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        evaluated, failures = check_pii(connection, manifest, PII)

    assert evaluated == 4  # one model + three text columns
    assert [(f.table, f.column, f.expectation) for f in failures] == [
        ("fct_leak", "memo", "no value that looks like an email"),
        ("fct_leak", "memo", "no value that looks like a phone number"),
    ]
    assert "taro@example.com" not in failures[0].observed and "1234-5678" not in failures[1].observed


def test_personal_data_columns_in_staging_are_tagged() -> None:
    """Every staging column named like personal data carries `meta: {contains_pii: true}`."""
    untagged = []
    for models_file in sorted((PROJECT_DIR / "models" / "staging").glob("*/_*__models.yml")):
        document = yaml.safe_load(models_file.read_text(encoding="utf-8")) or {}
        for model in document.get("models", []):
            for column in model.get("columns", []):
                named_like_pii = column["name"] in PII["column_names"]
                meta = {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}
                if named_like_pii and not meta.get(PII["meta_key"]):
                    untagged.append(f"{model['name']}.{column['name']}")
    assert not untagged, f"personal-data columns without meta {PII['meta_key']}: {untagged}"


@pytest.mark.slow
def test_no_personal_data_in_the_demo_marts(
    built_warehouse: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    manifest = json.loads((built_warehouse.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    tagged = pii_columns(manifest, PII["meta_key"])
    assert tagged, "no staging column is tagged contains_pii: the manifest check would be empty"
    evaluated, failures = check_pii(warehouse, manifest, PII)
    print(f"personal data: {evaluated} mart models and text columns checked, {len(failures)} failure(s)")
    assert evaluated > 0
    assert not failures, "\n".join(failure.line() for failure in failures)
