"""The MetricFlow semantic layer, queried from Python against the published warehouse.

`mf query` needs the dbt profile to point at the database and opens it through the dbt
adapter (read-write on DuckDB). The dashboard's rule is that readers open the published file
read-only, so this module runs MetricFlow's engine (the same planner and SQL renderer as
`mf query`) with a small SQL client that opens the published file read-only per query.

    engine = semantic_engine(target_path / "semantic_manifest.json", published_path())
    frame = query_metrics(engine, ["win_rate"], ["metric_time__month"])
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pandas as pd
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

from common_kpi.warehouse import connect_read_only

NO_PARAMETERS = SqlBindParameterSet()


class ReadOnlyDuckDbClient:
    """MetricFlow's `SqlClient` protocol on a DuckDB file opened read-only for each statement."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    def _bind(self, sql_bind_parameter_set: SqlBindParameterSet) -> dict[str, object]:
        return dict(sql_bind_parameter_set.param_dict)

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> MetricFlowDataTable:
        with connect_read_only(self.path) as connection:
            parameters = self._bind(sql_bind_parameter_set)
            cursor = connection.execute(stmt, parameters) if parameters else connection.execute(stmt)
            names = [column[0] for column in cursor.description]
            rows = [tuple(_cell(value) for value in row) for row in cursor.fetchall()]
        return MetricFlowDataTable.create_from_rows(column_names=names, rows=rows)

    def execute(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS) -> None:
        raise PermissionError("the published warehouse is read-only")

    def dry_run(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS) -> None:
        with connect_read_only(self.path) as connection:
            connection.execute(f"explain {stmt}")

    def close(self) -> None:
        """Nothing to close: every statement opens and closes its own connection."""

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def _cell(value: object) -> object:
    """DuckDB values as MetricFlow's table accepts them (floats, not Decimals; naive datetimes)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def semantic_engine(manifest_path: Path, warehouse_path: Path) -> MetricFlowEngine:
    """A MetricFlow engine on dbt's `semantic_manifest.json` and the read-only warehouse."""
    manifest = parse_manifest_from_dbt_generated_manifest(
        manifest_json_string=json.dumps(json.loads(manifest_path.read_text(encoding="utf-8")))
    )
    return MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(manifest),
        sql_client=ReadOnlyDuckDbClient(warehouse_path),
    )


def query_metrics(
    engine: MetricFlowEngine,
    metrics: Sequence[str] | None = None,
    group_by: Sequence[str] | None = None,
    where: Sequence[str] | None = None,
    saved_query: str | None = None,
) -> pd.DataFrame:
    """Run a metric query (or a saved query) and return the result as a DataFrame."""
    request = MetricFlowQueryRequest.create(
        saved_query_name=saved_query,
        metric_names=list(metrics) if metrics else None,
        group_by_names=list(group_by) if group_by else None,
        where_constraints=list(where) if where else None,
    )
    result = engine.query(request)
    table = result.result_df
    if table is None:
        return pd.DataFrame()
    return pd.DataFrame(list(table.rows), columns=list(table.column_names))
