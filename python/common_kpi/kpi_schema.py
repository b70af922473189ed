"""The shape of kpi_tree.yml as pydantic models, and its published JSON Schema.

`kpi_config` validates the file and names the node and field of every problem; these models
state the same shape for tools: `kpi_tree.schema.json` (written by `common-kpi kpi-compile`,
referenced from the first line of kpi_tree.yml) lets an editor with the YAML language server
check the file as the business types, and `parse_kpi_tree` validates every file against the
models too, so the schema and the validator cannot drift apart unnoticed.
"""

import json
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCHEMA_FILE = "kpi_tree.schema.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StatusThresholds(_Strict):
    achieved: float = Field(gt=0, description="達成: achievement at or above this share of target (1.0).")
    at_risk: float = Field(gt=0, description="注意: achievement at or above this share, below achieved.")


class SettingsModel(_Strict):
    fiscal_year: int = Field(ge=2000, le=2100, description="The fiscal year of the targets (2026年度).")
    fiscal_year_start_month: int = Field(ge=1, le=12, description="First month of the fiscal year (4).")
    status_thresholds: StatusThresholds
    mql_to_opportunity_window_days: int = Field(
        ge=1, le=366, description="An MQL converts when a new-business opportunity follows within these days."
    )
    renewal_grace_period_days: int = Field(
        ge=0, le=366, description="A term is renewed when the renewal starts within these days after its end."
    )
    lead_handoff_sla_hours: float = Field(
        gt=0, description="IS responds to an MQL within these hours, on the clock of lead_handoff_sla_rate."
    )
    nps_promoter_min_score: int = Field(
        ge=0, le=10, description="推奨者: NPS responses scoring at least this (9)."
    )
    nps_detractor_max_score: int = Field(
        ge=0, le=10, description="批判者: NPS responses scoring at most this (6), below the promoters'."
    )
    priority_deal_lookback_months: int = Field(
        ge=1,
        le=120,
        description="改善優先順位: months of won deals that give the average deal a KPI gap is worth.",
    )


class SmartModel(_Strict):
    specific: str = Field(min_length=1)
    measurable: str = Field(min_length=1)
    achievable_baseline: str = Field(min_length=1)
    relevant_to: str = Field(min_length=1)
    time_bound: str = Field(min_length=1)


def _node_model(departments: list[str], bases: list[str]) -> type[BaseModel]:
    department_code = Enum("Department", {code: code for code in departments}, type=str)  # type: ignore[misc]
    basis_code = Enum("Basis", {code: code for code in bases}, type=str)  # type: ignore[misc]

    class NodeModel(_Strict):
        id: str = Field(
            pattern=r"^[a-z][a-z0-9_]*$",
            description="snake_case; a KGI or KPI id names its branch in "
            "models/marts/kpi/kpi_measures_monthly.sql",
        )
        level: Literal["kgi", "ksf", "kpi"]
        name_ja: str = Field(min_length=1)
        name_en: str = Field(min_length=1)
        parent: str | None = None
        owner: department_code | list[department_code]  # type: ignore[valid-type]
        definition: str = Field(min_length=1)
        target: float = Field(gt=0, description="count, rate (0..1: 30% is 0.30), score or yen")
        unit: Literal["count", "rate", "score", "jpy"]
        period: Literal["month", "fiscal_quarter", "fiscal_year"]
        direction: Literal["higher_is_better", "lower_is_better"]
        severity: Literal["warn", "error"] = "warn"
        basis: basis_code | None = Field(  # type: ignore[valid-type]
            default=None, description="The KPI's definition choice (kpi_config.KPI_BASES lists each KPI's)."
        )
        smart: SmartModel

    return NodeModel


def kpi_tree_model(departments: list[str]) -> type[BaseModel]:
    """The pydantic model of a whole kpi_tree.yml (owners from the departments seed)."""
    from common_kpi.kpi_config import BASES

    node_model = _node_model(departments, list(BASES))

    class KpiTreeFile(_Strict):
        """共通KPIツリー / Common KPI tree (kpi_tree.yml)."""

        settings: SettingsModel
        nodes: list[node_model] = Field(min_length=1)  # type: ignore[valid-type]

    return KpiTreeFile


def schema_problems(raw: Any, departments: list[str]) -> list[str]:
    """Every way `raw` (the loaded YAML) breaks the schema, one line each ([] when it fits)."""
    try:
        kpi_tree_model(departments).model_validate(raw)
    except ValidationError as error:
        return [
            f"schema: {'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
        ]
    return []


def schema_json(departments: list[str]) -> str:
    """The JSON Schema of kpi_tree.yml, as published in kpi_tree.schema.json."""
    schema = kpi_tree_model(departments).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kpi_tree.yml"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
