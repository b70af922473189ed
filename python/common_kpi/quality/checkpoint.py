"""The Great Expectations checkpoint over the raw files, the staged tables and the marts.

Each suite of quality.yml becomes one GX expectation suite, validated against its table read
into pandas (GX's SQL datasource is broken on DuckDB, GX issue #10738), through one GX
checkpoint per table in an ephemeral data context. The results are rendered as GX data docs
(HTML) into the chosen folder, and every failed expectation becomes one readable line:
table, column, expectation, observed value.
"""

from __future__ import annotations

import logging
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from common_kpi.quality.config import QualityConfig, SuiteConfig
from common_kpi.quality.frames import (
    RAW_COUNTS_VIEW,
    RelationError,
    WarehouseReader,
    count_raw_rows,
    read_raw_table,
)
from common_kpi.quality.report import Failure, format_value

DATA_DOCS_SITE = "common_kpi_quality"
DATA_DOCS_ENTRIES = {"index.html", "static", "expectations", "validations"}
CHECK_NAME = "gx"


@dataclass
class CheckpointOutcome:
    """What the checkpoint found: the failures, how many expectations ran, the docs index."""

    evaluated: int = 0
    failures: list[Failure] = field(default_factory=list)
    docs_index: Path | None = None


def _pairs(value: Any, key: str, suite: SuiteConfig) -> list[float | None]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"suite {suite.name}: {key} must be [min, max] (null for open), got {value!r}")
    return value


def _scaled(bounds: list[float | None], scale: float) -> tuple[float | None, float | None]:
    low, high = bounds
    return (None if low is None else low * scale, None if high is None else high * scale)


def build_expectations(suite: SuiteConfig, *, scale: float, query_value: Any = None) -> list[Any]:
    """GX expectations for one suite entry of quality.yml (see the file's header for the keys)."""
    import great_expectations.expectations as gxe

    spec = suite.expectations
    built: list[Any] = []
    if "columns" in spec:
        built.append(gxe.ExpectTableColumnsToMatchSet(column_set=list(spec["columns"]), exact_match=False))
    if "row_count" in spec:
        low, high = _pairs(spec["row_count"], "row_count", suite)
        built.append(gxe.ExpectTableRowCountToBeBetween(min_value=low, max_value=high))
    if "row_count_per_scale" in spec:
        low, high = _scaled(_pairs(spec["row_count_per_scale"], "row_count_per_scale", suite), scale)
        built.append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=None if low is None else int(low),
                max_value=None if high is None else int(high) + 1,
            )
        )
    if "row_count_equals_query" in spec:
        built.append(
            gxe.ExpectTableRowCountToEqual(
                value=int(query_value),
                description=f"row count equals: {' '.join(spec['row_count_equals_query'].split())}",
            )
        )
    for column in spec.get("not_null", []):
        built.append(gxe.ExpectColumnValuesToNotBeNull(column=column))
    for column, share in (spec.get("not_null_mostly") or {}).items():
        built.append(gxe.ExpectColumnValuesToNotBeNull(column=column, mostly=float(share)))
    for key in spec.get("unique", []):
        if isinstance(key, list) and len(key) > 1:
            built.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(key)))
        else:
            column = key[0] if isinstance(key, list) else key
            built.append(gxe.ExpectColumnValuesToBeUnique(column=column))
    for column in spec.get("rates", []):
        built.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1))
    for column, bounds in (spec.get("between") or {}).items():
        low, high = _pairs(bounds, f"between.{column}", suite)
        built.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high))
    for column, bounds in (spec.get("between_per_scale") or {}).items():
        low, high = _scaled(_pairs(bounds, f"between_per_scale.{column}", suite), scale)
        built.append(gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high))
    for column, values in (spec.get("in_set") or {}).items():
        built.append(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values)))
    for column_a, column_b in spec.get("equal_pairs", []):
        built.append(gxe.ExpectColumnPairValuesToBeEqual(column_A=column_a, column_B=column_b))
    for column_a, column_b in spec.get("ordered_pairs", []):
        built.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=column_a, column_B=column_b, or_equal=True, ignore_row_if="either_value_is_missing"
            )
        )
    return built


def _plain(value: Any) -> Any:
    """numpy / pandas scalars (also inside tuples and lists) as plain Python values."""
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


def _exception_message(info: Any) -> str | None:
    if isinstance(info, dict):
        if info.get("raised_exception") and info.get("exception_message"):
            return str(info["exception_message"]).splitlines()[0]
        for nested in info.values():
            message = _exception_message(nested)
            if message:
                return message
    return None


def describe_observed(result: Any) -> str:
    """The observed value of one GX validation result, in words."""
    message = _exception_message(result.exception_info)
    if message:
        return f"could not evaluate: {message}"
    details = result.result or {}
    if "observed_value" in details:
        observed = details["observed_value"]
        mismatched = (details.get("details") or {}).get("mismatched")
        if mismatched and mismatched.get("missing"):
            return f"missing columns {format_value(mismatched['missing'])}"
        return format_value(_plain(observed))
    if "unexpected_count" in details:
        examples = [_plain(item) for item in details.get("partial_unexpected_list") or []]
        return (
            f"{details['unexpected_count']} of {details.get('element_count')} rows "
            f"({details.get('unexpected_percent', 0):.3g} %), e.g. {format_value(examples)}"
        )
    return format_value(details)


def describe_expectation(configuration: Any) -> tuple[str, str]:
    """(column, expectation with its arguments) of a GX expectation configuration."""
    kwargs = {
        key: value
        for key, value in configuration.kwargs.items()
        if key not in {"batch_id", "column", "result_format"} and value is not None
    }
    column = configuration.kwargs.get("column") or ""
    if "column_A" in kwargs:
        relation = ">=" if kwargs.get("or_equal") else ("=" if "or_equal" not in kwargs else ">")
        column = f"{kwargs.pop('column_A')} {relation} {kwargs.pop('column_B')}"
        kwargs.pop("or_equal", None)
    if "column_list" in kwargs:
        column = ", ".join(kwargs.pop("column_list"))
    arguments = ", ".join(f"{key}={format_value(value)}" for key, value in kwargs.items())
    return column, f"{configuration.type}({arguments})"


def clear_previous_docs(docs_dir: Path) -> None:
    """Remove the data docs of an earlier run, so that no stale result page survives; a folder
    holding anything else than GX data docs is left alone."""
    if not (docs_dir / "index.html").exists():
        return
    if {entry.name for entry in docs_dir.iterdir()} <= DATA_DOCS_ENTRIES:
        shutil.rmtree(docs_dir)


class _Runner:
    """One ephemeral GX context; one datasource, asset, suite and checkpoint per table."""

    def __init__(self, docs_dir: Path) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        clear_previous_docs(docs_dir)
        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.context.add_data_docs_site(
            site_name=DATA_DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        self.datasource = self.context.data_sources.add_pandas("common_kpi_warehouse")

    def validate(self, suite: SuiteConfig, frame: pd.DataFrame, expectations: list[Any]) -> Any:
        gx = self.gx
        name = suite.display_name
        batch = self.datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        gx_suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=gx_suite)
        )
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=f"common_kpi_quality__{name}",
                validation_definitions=[definition],
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
            )
        )
        return checkpoint.run(batch_parameters={"dataframe": frame})

    def build_docs(self) -> Path | None:
        """Write the data docs, self-contained (data_docs_offline): no asset from a CDN."""
        from common_kpi.quality.data_docs_offline import DataDocsAssetsError, make_offline

        self.context.build_data_docs(site_names=[DATA_DOCS_SITE])
        for site in self.context.get_docs_sites_urls(site_name=DATA_DOCS_SITE):
            url = site.get("site_url")
            if url and url.startswith("file://"):
                index = Path(url.removeprefix("file://"))
                try:
                    make_offline(index.parent)
                except DataDocsAssetsError as error:
                    print(f"[quality] data docs need the network to render: {error}", file=sys.stderr)
                return index
        return None


def _frame(suite: SuiteConfig, reader: WarehouseReader, raw_path: Path, raw_format: str) -> pd.DataFrame:
    columns = suite.referenced_columns()
    if suite.layer == "raw":
        assert suite.relation is not None
        return read_raw_table(raw_path, suite.relation, raw_format, columns)
    return reader.frame(relation=suite.relation, query=suite.query, columns=columns)


def run_checkpoint(
    config: QualityConfig,
    connection: Any,
    *,
    raw_path: Path,
    docs_dir: Path,
    scale: float,
    raw_format: str = "csv",
) -> CheckpointOutcome:
    """Validate every suite of `config`; write data docs to `docs_dir`; return the failures."""
    outcome = CheckpointOutcome()
    reader = WarehouseReader(connection)
    connection.register(RAW_COUNTS_VIEW, count_raw_rows(raw_path, raw_format))
    runner = _Runner(docs_dir)
    for suite in config.suites:
        try:
            frame = _frame(suite, reader, raw_path, raw_format)
            query_value = None
            if "row_count_equals_query" in suite.expectations:
                query_value = reader.scalar(suite.expectations["row_count_equals_query"])
            expectations = build_expectations(suite, scale=scale, query_value=query_value)
        except (RelationError, FileNotFoundError, ValueError) as error:
            outcome.evaluated += 1
            outcome.failures.append(Failure(CHECK_NAME, suite.display_name, "", "read table", str(error)))
            continue
        except duckdb.Error as error:  # DuckDB's message names the relation and column at fault
            outcome.evaluated += 1
            message = str(error).strip().splitlines()[0]
            outcome.failures.append(Failure(CHECK_NAME, suite.display_name, "", "read table", message))
            continue
        result = runner.validate(suite, frame, expectations)
        for validation in result.run_results.values():
            for expectation_result in validation.results:
                outcome.evaluated += 1
                if expectation_result.success:
                    continue
                column, expectation = describe_expectation(expectation_result.expectation_config)
                outcome.failures.append(
                    Failure(
                        CHECK_NAME,
                        suite.display_name,
                        column,
                        expectation,
                        describe_observed(expectation_result),
                    )
                )
    outcome.docs_index = runner.build_docs()
    return outcome
