"""Writers: every raw table as `<out>/<system>/<table>.<csv|parquet>`, all columns text, in
the column order of the sources YAML; the ground truth; `_manifest.json` (written last)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# The raw contract (models/staging/<system>/_<system>__sources.yml), same order.
TABLES: dict[str, dict[str, list[str]]] = {
    "salesforce": {
        "lead": [
            "id", "is_deleted", "first_name", "last_name", "email", "phone", "company", "title",
            "industry", "number_of_employees", "website", "lead_source", "status",
            "is_converted", "converted_date", "converted_account_id", "converted_contact_id",
            "converted_opportunity_id", "owner_id", "business_unit__c", "created_date",
            "last_modified_date", "_fivetran_synced",
        ],
        "contact": [
            "id", "is_deleted", "account_id", "first_name", "last_name", "email", "phone",
            "title", "lead_source", "owner_id", "created_date", "_fivetran_synced",
        ],
        "account": [
            "id", "is_deleted", "name", "website", "industry", "number_of_employees", "type",
            "corporate_number__c", "business_unit__c", "owner_id", "created_date",
            "_fivetran_synced",
        ],
        "opportunity": [
            "id", "is_deleted", "account_id", "contact_id", "name", "type", "stage_name",
            "amount", "probability", "is_closed", "is_won", "close_date", "lead_source",
            "owner_id", "business_unit__c", "created_date", "_fivetran_synced",
        ],
        "opportunity_line_item": [
            "id", "is_deleted", "opportunity_id", "product_2_id", "quantity", "unit_price",
            "total_price", "created_date", "_fivetran_synced",
        ],
        "product_2": [
            "id", "is_deleted", "name", "product_code", "family", "is_active", "created_date",
            "_fivetran_synced",
        ],
        "task": [
            "id", "is_deleted", "who_id", "what_id", "owner_id", "subject", "type", "status",
            "activity_date", "created_date", "_fivetran_synced",
        ],
        "user": [
            "id", "name", "email", "department", "division", "is_active", "created_date",
            "_fivetran_synced",
        ],
    },
    "hubspot": {
        "contact": [
            "id", "_fivetran_deleted", "property_email", "property_firstname",
            "property_lastname", "property_company", "property_phone", "property_jobtitle",
            "property_lifecyclestage", "property_hs_lifecyclestage_lead_date",
            "property_hs_lifecyclestage_marketingqualifiedlead_date",
            "property_hs_lifecyclestage_salesqualifiedlead_date",
            "property_hs_lifecyclestage_opportunity_date",
            "property_hs_lifecyclestage_customer_date", "property_hubspotscore",
            "property_hs_analytics_source", "property_hs_analytics_num_page_views",
            "property_hs_analytics_num_visits", "property_hs_analytics_last_visit_timestamp",
            "property_salesforceleadid", "property_associatedcompanyid",
            "property_business_unit", "property_createdate", "_fivetran_synced",
        ],
        "company": [
            "id", "_fivetran_deleted", "property_name", "property_domain", "property_industry",
            "property_numberofemployees", "property_corporate_number", "property_business_unit",
            "property_createdate", "_fivetran_synced",
        ],
        "contact_form_submission": [
            "contact_id", "conversion_id", "form_id", "title", "page_url", "timestamp",
            "_fivetran_synced",
        ],
        "email_event": ["id", "type", "recipient", "email_campaign_id", "created", "_fivetran_synced"],
    },
    "crm": {
        "customers": [
            "customer_id", "corporate_number", "customer_name", "domain", "industry",
            "employee_count", "business_unit", "sfdc_account_id", "is_deleted", "created_at",
            "updated_at", "exported_at",
        ],
        "contracts": [
            "contract_id", "customer_id", "product_line", "contract_type",
            "previous_contract_id", "sfdc_opportunity_id", "start_date", "end_date",
            "amount_jpy", "is_deleted", "created_at", "exported_at",
        ],
        "nps_responses": [
            "response_id", "customer_id", "respondent_email", "survey_name", "score", "comment",
            "responded_at", "exported_at",
        ],
    },
    "finance": {
        "pl_monthly": ["period_month", "business_unit", "line_item", "amount_jpy", "exported_at"],
    },
}

GROUND_TRUTH = {
    "person_identity": ["source_system", "source_table", "source_record_id", "true_person_id"],
    "company_identity": ["source_system", "source_table", "source_record_id", "true_company_id"],
}


def to_text_array(values: Any, n: int) -> pa.Array:
    """Any column (pyarrow array, numpy array, list, scalar) → pyarrow string array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.string() else values.cast(pa.string())
    if isinstance(values, str) or values is None:
        return pa.array([values] * n, type=pa.string())
    arr = np.asarray(values)
    if arr.dtype == bool:
        return pa.array(np.where(arr, "true", "false").astype(object), type=pa.string())
    if arr.dtype.kind in "iu":
        return pa.array(arr).cast(pa.string())
    try:
        return pa.array(arr, type=pa.string(), from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([_text(x) for x in arr.tolist()], type=pa.string())


def _text(x: Any) -> str | None:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    if isinstance(x, bool | np.bool_):
        return "true" if x else "false"
    return str(x)


def make_table(columns: list[str], data: dict[str, Any], n: int) -> pa.Table:
    missing = [c for c in columns if c not in data]
    extra = [c for c in data if c not in columns]
    if missing or extra:
        raise ValueError(f"columns mismatch: missing {missing}, unexpected {extra}")
    arrays = [to_text_array(data[c], n) for c in columns]
    for c, a in zip(columns, arrays, strict=True):
        if len(a) != n:
            raise ValueError(f"column {c} has {len(a)} rows, expected {n}")
    return pa.Table.from_arrays(arrays, names=columns)


class TableSink:
    """Incremental writer for one table (CSV or Parquet), counting rows."""

    def __init__(self, out: Path, system: str, table: str, fmt: str) -> None:
        self.columns = TABLES[system][table] if system in TABLES else GROUND_TRUTH[table]
        self.schema = pa.schema([(c, pa.string()) for c in self.columns])
        folder = out / system
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{table}.{fmt}"
        self.fmt = fmt
        self.rows = 0
        self._writer: Any = None

    def write(self, table: pa.Table) -> None:
        table = table.cast(self.schema)
        if self._writer is None:
            if self.fmt == "csv":
                self._writer = pacsv.CSVWriter(str(self.path), self.schema)
            else:
                self._writer = pq.ParquetWriter(str(self.path), self.schema, compression="zstd")
        if self.fmt == "csv":
            self._writer.write_table(table)
        else:
            self._writer.write_table(table, row_group_size=1_000_000)
        self.rows += table.num_rows

    def write_columns(self, data: dict[str, Any], n: int) -> None:
        self.write(make_table(self.columns, data, n))

    def close(self) -> None:
        if self._writer is None:  # empty table: header / schema only
            self.write(pa.Table.from_arrays(
                [pa.array([], pa.string()) for _ in self.columns], names=self.columns))
        self._writer.close()


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False)
    tmp = out / "_manifest.json.tmp"
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(out / "_manifest.json")
