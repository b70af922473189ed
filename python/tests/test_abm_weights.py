"""ABM scoring is driven by configuration: changing one engagement weight in the vars changes
the engagement-dependent score columns of exactly the accounts with that activity, and
nothing else (fit, activity counts, account KPIs stay identical).

The demo warehouse of the session (built with the vars of dbt_project.yml) is copied, the
ABM models are rebuilt in the copy with one weight doubled, and the two are compared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.build import run_dbt

CHANGED_ACTIVITY = "email_click"
KEY = ["company_id", "month_start_date"]
# Columns of abm_account_months that may move when an engagement weight moves; every other
# column (fit points, activity counts, pipeline, won, renewal) must stay identical.
WEIGHT_DEPENDENT_COLUMNS = {
    "engagement_raw_points",
    "engagement_score",
    "total_score",
    "score_rank",
    "tier_code",
    "tier_number",
    "previous_tier_code",
    "tier_movement",
}
UNCHANGED_MODELS = {
    "main_intermediate.int_abm_company_activity_days": ["company_id", "activity_date", "activity_type"],
    "main_intermediate.int_abm_account_fit": ["company_id"],
    "main_intermediate.int_abm_account_kpi_months": KEY,
}


def project_vars() -> dict:
    """The vars block of dbt_project.yml."""
    with (PROJECT_DIR / "dbt_project.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]


def read_table(path: Path, relation: str, key: list[str]) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as connection:
        frame = connection.execute(f"select * from {relation}").df()
    return frame.sort_values(key).reset_index(drop=True)


@pytest.fixture(scope="module")
def rescored_warehouse(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo warehouse with the ABM models rebuilt under a doubled weight."""
    work = tmp_path_factory.mktemp("abm_weights")
    copy = work / "rescored.duckdb"
    shutil.copyfile(built_warehouse, copy)
    weights = dict(project_vars()["abm_engagement_weights"])
    weights[CHANGED_ACTIVITY] = weights[CHANGED_ACTIVITY] * 2
    completed = run_dbt(
        [
            "run",
            "--select",
            "intermediate.abm",
            "marts.abm",
            "--vars",
            yaml.safe_dump({"abm_engagement_weights": weights}, default_flow_style=True),
        ],
        duckdb_path=copy,
        target_path=work / "target",
    )
    assert completed.returncode == 0, "dbt run of the ABM models with a changed weight failed"
    return copy


def test_changed_weight_leaves_inputs_fit_and_kpis_alone(
    built_warehouse: Path, rescored_warehouse: Path
) -> None:
    for relation, key in UNCHANGED_MODELS.items():
        before = read_table(built_warehouse, relation, key)
        after = read_table(rescored_warehouse, relation, key)
        pd.testing.assert_frame_equal(before, after, check_exact=True, obj=relation)


def test_changed_weight_moves_only_the_scores_of_accounts_with_that_activity(
    built_warehouse: Path, rescored_warehouse: Path
) -> None:
    before = read_table(built_warehouse, "main_marts.abm_account_months", KEY)
    after = read_table(rescored_warehouse, "main_marts.abm_account_months", KEY)
    pd.testing.assert_frame_equal(before[KEY], after[KEY], obj="scored company months")

    unchanged_columns = [c for c in before.columns if c not in WEIGHT_DEPENDENT_COLUMNS]
    pd.testing.assert_frame_equal(
        before[unchanged_columns], after[unchanged_columns], check_exact=True, obj="unchanged columns"
    )

    raw_moved = (after["engagement_raw_points"] - before["engagement_raw_points"]).abs() > 1e-9
    had_clicks = before[f"{CHANGED_ACTIVITY}_count"] > 0
    assert raw_moved.any(), "doubling the click weight changed no engagement score"
    # Raw points move exactly where clicks fell in the window, and only upwards.
    assert (raw_moved == had_clicks).all()
    raw_before = before.loc[had_clicks, "engagement_raw_points"]
    assert (after.loc[had_clicks, "engagement_raw_points"] > raw_before).all()
    # The total is still fit + engagement; the engagement score never falls.
    assert (after["engagement_score"] >= before["engagement_score"] - 1e-9).all()
    assert ((after["total_score"] - after["fit_score"] - after["engagement_score"]).abs() < 1e-9).all()
