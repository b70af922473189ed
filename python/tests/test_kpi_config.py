"""kpi_tree.yml validation (one broken YAML per case, each with a clear message) and compilation."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from common_kpi import PROJECT_DIR
from common_kpi.kpi_config import (
    KPI_TREE_FILE,
    MEASURES_SQL,
    NODES_SEED,
    SEED_DIR,
    SEMANTIC_METRICS_FILE,
    SETTINGS_SEED,
    TEST_DIR,
    KpiConfigError,
    compile_kpi_tree,
    load_kpi_tree,
    main,
)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with the real kpi_tree.yml, departments seed, dbt_project.yml and the
    KPI measures SQL (its branches say which KPI ids are computed)."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / MEASURES_SQL).parent.mkdir(parents=True)
    shutil.copy(PROJECT_DIR / MEASURES_SQL, tmp_path / MEASURES_SQL)
    shutil.copy(PROJECT_DIR / KPI_TREE_FILE, tmp_path / KPI_TREE_FILE)
    shutil.copy(PROJECT_DIR / "seeds" / "departments.csv", tmp_path / "seeds" / "departments.csv")
    shutil.copy(PROJECT_DIR / "dbt_project.yml", tmp_path / "dbt_project.yml")
    return tmp_path


def edit_tree(project: Path, change: Callable[[dict], None]) -> None:
    path = project / KPI_TREE_FILE
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(tree)
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")


def node(tree: dict, node_id: str) -> dict:
    return next(item for item in tree["nodes"] if item["id"] == node_id)


def read_seed(project: Path, name: str) -> list[dict[str, str]]:
    text = (project / SEED_DIR / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_default_tree_is_the_article_template(project: Path) -> None:
    tree = load_kpi_tree(project)
    by_id = {item.id: item for item in tree.nodes}
    assert by_id["kgi_revenue"].target == 1_000_000_000
    assert by_id["kgi_operating_margin"].target == pytest.approx(0.15)
    assert (by_id["monthly_mql_count"].target, by_id["monthly_mql_count"].owners) == (200, ("marketing",))
    assert (by_id["mql_to_opportunity_rate"].target, by_id["mql_to_opportunity_rate"].owner_ja) == (
        0.30,
        "IS",
    )
    assert (by_id["win_rate"].target, by_id["win_rate"].owner_ja) == (0.20, "営業")
    assert (by_id["retention_rate"].target, by_id["retention_rate"].owner_ja) == (0.95, "CS")
    assert (by_id["nps"].target, by_id["nps"].owner_ja) == (40, "全部門")
    assert by_id["upsell_rate"].target == pytest.approx(0.15)
    assert by_id["cross_sell_rate"].owner_ja == "営業・CS"
    assert by_id["lead_handoff_sla_rate"].target == pytest.approx(0.90)
    assert tree.settings.fiscal_year == 2026
    assert tree.settings.mql_to_opportunity_window_days == 90


BROKEN_CASES: list[tuple[str, Callable[[dict], None], list[str]]] = [
    (
        "missing_smart_field",
        lambda tree: node(tree, "win_rate")["smart"].pop("time_bound"),
        ["node 'win_rate' (成約率)", "field 'smart.time_bound'", "missing"],
    ),
    (
        "unknown_parent",
        lambda tree: node(tree, "win_rate").update(parent="ksf_nonexistent"),
        ["node 'win_rate'", "field 'parent'", "unknown parent 'ksf_nonexistent'"],
    ),
    (
        "cycle",
        lambda tree: (
            node(tree, "ksf_retention").update(parent="ksf_new_customers"),
            node(tree, "ksf_new_customers").update(parent="ksf_retention"),
        ),
        ["field 'parent'", "cycle in the tree", "ksf_new_customers", "ksf_retention"],
    ),
    (
        "unknown_department",
        lambda tree: node(tree, "nps").update(owner="finance"),
        ["node 'nps'", "field 'owner'", "unknown department 'finance'"],
    ),
    (
        "target_as_text",
        lambda tree: node(tree, "mql_to_opportunity_rate").update(target="30%"),
        ["node 'mql_to_opportunity_rate' (商談化率)", "field 'target'", "must be a number", "0.30"],
    ),
    (
        "rate_target_above_one",
        lambda tree: node(tree, "win_rate").update(target=20),
        ["node 'win_rate'", "field 'target'", "between 0 and 1"],
    ),
    (
        "bad_period",
        lambda tree: node(tree, "win_rate").update(period="weekly"),
        ["node 'win_rate'", "field 'period'", "month, fiscal_quarter, fiscal_year", "'weekly'"],
    ),
    (
        "bad_direction",
        lambda tree: node(tree, "win_rate").update(direction="up"),
        ["node 'win_rate'", "field 'direction'", "higher_is_better, lower_is_better"],
    ),
    (
        "bad_severity",
        lambda tree: node(tree, "win_rate").update(severity="critical"),
        ["node 'win_rate'", "field 'severity'", "warn, error"],
    ),
    (
        "duplicate_id",
        lambda tree: tree["nodes"].append(dict(node(tree, "nps"))),
        ["node 'nps'", "field 'id'", "duplicate id"],
    ),
    (
        "unknown_metric",
        lambda tree: node(tree, "win_rate").update(id="close_rate"),
        ["node 'close_rate'", "field 'id'", "no branch of models/marts/kpi/kpi_measures_monthly.sql"],
    ),
    (
        "ksf_without_mart",
        lambda tree: node(tree, "ksf_retention").update(id="ksf_loyalty"),
        ["node 'ksf_loyalty'", "field 'id'", "no mart shows this KSF"],
    ),
    (
        "mql_kpis_on_two_populations",
        lambda tree: node(tree, "monthly_mql_count").update(basis="all_leads"),
        [
            "field 'basis'",
            "one MQL population",
            "monthly_mql_count: all_leads",
            "mql_to_opportunity_rate: ma_handoff",
        ],
    ),
    (
        "nps_detractor_not_below_promoter",
        lambda tree: tree["settings"].update(nps_detractor_max_score=9),
        ["settings", "field 'nps_detractor_max_score'", "below nps_promoter_min_score (9)"],
    ),
    (
        "nps_promoter_out_of_range",
        lambda tree: tree["settings"].update(nps_promoter_min_score=11),
        ["settings", "field 'nps_promoter_min_score'", "from 0 to 10", "11"],
    ),
    (
        "lookback_missing",
        lambda tree: tree["settings"].pop("priority_deal_lookback_months"),
        ["settings", "field 'priority_deal_lookback_months'", "whole number from 1 to 120"],
    ),
    (
        "misspelt_field",
        lambda tree: node(tree, "win_rate").update(targte=0.2),
        ["node 'win_rate'", "field 'targte'", "unknown field"],
    ),
    (
        "kpi_under_kgi",
        lambda tree: node(tree, "win_rate").update(parent="kgi_revenue"),
        ["node 'win_rate'", "field 'parent'", "must be a KSF"],
    ),
    (
        "at_risk_above_achieved",
        lambda tree: tree["settings"]["status_thresholds"].update(at_risk=1.2),
        ["settings", "field 'status_thresholds.at_risk'"],
    ),
    (
        "unknown_basis",
        lambda tree: node(tree, "retention_rate").update(basis="by_customer"),
        ["node 'retention_rate' (継続率)", "field 'basis'", "customer, contract, revenue_mrr", "by_customer"],
    ),
    (
        "basis_on_a_kpi_without_choice",
        lambda tree: node(tree, "win_rate").update(basis="customer"),
        ["node 'win_rate'", "field 'basis'", "has no definition choice"],
    ),
    (
        "setting_disagrees_with_dbt_var",
        lambda tree: tree["settings"].update(fiscal_year_start_month=1),
        ["field 'fiscal_year_start_month'", "dbt var 'fiscal_year_start_month'"],
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [case[1:] for case in BROKEN_CASES],
    ids=[case[0] for case in BROKEN_CASES],
)
def test_broken_tree_is_rejected_with_a_clear_message(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict], None],
    expected: list[str],
) -> None:
    edit_tree(project, change)
    assert main(["--project-dir", str(project)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} not in:\n{err}"
    assert not (project / SEED_DIR / NODES_SEED).exists(), "nothing is written for an invalid tree"


def test_invalid_yaml_names_the_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / KPI_TREE_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    assert main(["--project-dir", str(project)]) == 2
    err = capsys.readouterr().err
    assert "not valid YAML" in err and "line" in err


def test_every_problem_is_listed_at_once(project: Path) -> None:
    edit_tree(project, lambda tree: node(tree, "win_rate").update(severity="x", period="y"))
    with pytest.raises(KpiConfigError) as caught:
        compile_kpi_tree(project)
    assert len(caught.value.problems) == 2


def test_compile_writes_seeds_and_one_test_per_measured_node(project: Path) -> None:
    compile_kpi_tree(project)
    nodes = read_seed(project, NODES_SEED)
    assert [row["node_id"] for row in nodes][:3] == [
        "kgi_revenue",
        "kgi_operating_margin",
        "ksf_new_customers",
    ]
    by_id = {row["node_id"]: row for row in nodes}
    conversion = by_id["mql_to_opportunity_rate"]
    assert conversion["node_level"] == "kpi"
    assert conversion["parent_node_id"] == "ksf_new_customers"
    assert conversion["target_value"] == "0.3"
    assert conversion["mart_name"] == "kpi_new_customers_monthly"
    assert conversion["owner_department_ja"] == "IS"
    assert conversion["smart_time_bound"]
    assert by_id["kgi_revenue"]["target_value"] == "1000000000"
    assert by_id["ksf_retention"]["mart_name"] == ""
    settings = read_seed(project, SETTINGS_SEED)
    assert settings == [
        {
            "fiscal_year": "2026",
            "fiscal_year_start_month": "4",
            "achieved_threshold_rate": "1",
            "at_risk_threshold_rate": "0.9",
            "mql_to_opportunity_window_days": "90",
            "renewal_grace_period_days": str(settings[0]["renewal_grace_period_days"]),
            "lead_handoff_sla_hours": "24",
            "nps_promoter_min_score": "9",
            "nps_detractor_max_score": "6",
            "priority_deal_lookback_months": "12",
        }
    ]

    tests = sorted(path.name for path in (project / TEST_DIR).glob("*.sql"))
    measured = [row["node_id"] for row in nodes if row["node_level"] != "ksf"]
    assert tests == sorted(f"assert_kpi_meets_target__{node_id}.sql" for node_id in measured)
    sql = (project / TEST_DIR / "assert_kpi_meets_target__win_rate.sql").read_text(encoding="utf-8")
    assert sql.startswith("-- generated by common-kpi kpi-compile from kpi_tree.yml, do not edit")
    assert "config(severity='warn'" in sql
    assert "test_kpi_meets_target(model=ref('kpi_new_customers_monthly'), kpi_id='win_rate')" in sql
    properties = yaml.safe_load((project / TEST_DIR / "_kpi_targets__tests.yml").read_text(encoding="utf-8"))
    assert {test["name"] for test in properties["data_tests"]} == {name[:-4] for name in tests}


def test_target_and_severity_edits_flow_into_the_compiled_files(project: Path) -> None:
    compile_kpi_tree(project)
    edit_tree(
        project, lambda tree: node(tree, "mql_to_opportunity_rate").update(target=0.35, severity="error")
    )
    compile_kpi_tree(project)
    by_id = {row["node_id"]: row for row in read_seed(project, NODES_SEED)}
    assert by_id["mql_to_opportunity_rate"]["target_value"] == "0.35"
    sql = (project / TEST_DIR / "assert_kpi_meets_target__mql_to_opportunity_rate.sql").read_text(
        encoding="utf-8"
    )
    assert "config(severity='error'" in sql


def test_removed_kpi_loses_its_generated_test(project: Path) -> None:
    compile_kpi_tree(project)
    stale = project / TEST_DIR / "assert_kpi_meets_target__nps.sql"
    assert stale.exists()
    edit_tree(project, lambda tree: tree["nodes"].remove(node(tree, "nps")))
    compile_kpi_tree(project)
    assert not stale.exists()


def test_check_mode_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project-dir", str(project), "--check"]) == 0
    assert "2 KGI, 3 KSF, 8 KPI" in capsys.readouterr().out
    assert not (project / SEED_DIR).exists()


def test_basis_defaults_to_the_article_reading_and_reaches_the_seed(project: Path) -> None:
    def drop_bases(tree: dict) -> None:
        for item in tree["nodes"]:
            item.pop("basis", None)
        node(tree, "cross_sell_rate")["basis"] = "business_unit"

    edit_tree(project, drop_bases)
    tree = load_kpi_tree(project)
    by_id = {item.id: item for item in tree.nodes}
    assert by_id["retention_rate"].basis == "customer"
    assert by_id["lead_handoff_sla_rate"].basis == "business_days"
    assert by_id["monthly_mql_count"].basis == "ma_handoff"
    assert by_id["kgi_revenue"].basis == "contract_revenue"
    assert by_id["cross_sell_rate"].basis == "business_unit"
    assert by_id["win_rate"].basis is None
    compile_kpi_tree(project)
    rows = {row["node_id"]: row for row in read_seed(project, NODES_SEED)}
    assert (rows["cross_sell_rate"]["basis"], rows["cross_sell_rate"]["basis_label_ja"]) == (
        "business_unit",
        "事業部単位",
    )
    assert rows["retention_rate"]["basis_label_ja"] == "顧客数ベース"
    assert rows["win_rate"]["basis"] == ""


def test_published_json_schema_is_current_and_checks_the_file(project: Path) -> None:
    from common_kpi.kpi_config import load_departments
    from common_kpi.kpi_schema import SCHEMA_FILE, schema_json, schema_problems

    departments = list(load_departments(project))
    published = (PROJECT_DIR / SCHEMA_FILE).read_text(encoding="utf-8")
    assert published == schema_json(departments), "run common-kpi kpi-compile to refresh kpi_tree.schema.json"
    first_line = (PROJECT_DIR / KPI_TREE_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert first_line == f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
    raw = yaml.safe_load((project / KPI_TREE_FILE).read_text(encoding="utf-8"))
    assert schema_problems(raw, departments) == []
    node(raw, "retention_rate")["basis"] = "by_customer"
    node(raw, "win_rate")["targte"] = 0.2
    problems = schema_problems(raw, departments)
    assert any("basis" in problem for problem in problems), problems
    assert any("targte" in problem for problem in problems), problems


def test_kpi_settings_are_not_dbt_vars() -> None:
    """Every KPI setting of kpi_tree.yml is compiled into the seed; none is also a dbt var
    under another name (only the fiscal year start, which shapes dim_months, is both, and
    kpi-compile checks that they agree)."""
    from common_kpi.kpi_config import SETTINGS_AS_DBT_VARS, SETTINGS_FIELDS

    dbt_vars = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"])
    moved = {"nps_promoter_min_score", "nps_detractor_max_score", "kpi_priority_deal_lookback_months"}
    assert not moved & dbt_vars
    assert (SETTINGS_FIELDS & dbt_vars) == set(SETTINGS_AS_DBT_VARS)


def test_nps_and_lookback_settings_flow_into_the_seed(project: Path) -> None:
    edit_tree(
        project,
        lambda tree: tree["settings"].update(
            nps_promoter_min_score=8, nps_detractor_max_score=5, priority_deal_lookback_months=6
        ),
    )
    compile_kpi_tree(project)
    (settings,) = read_seed(project, SETTINGS_SEED)
    assert (
        settings["nps_promoter_min_score"],
        settings["nps_detractor_max_score"],
        settings["priority_deal_lookback_months"],
    ) == ("8", "5", "6")


def test_generated_semantic_metrics_are_current() -> None:
    """The committed metric file equals what kpi-compile writes from the committed kpi_tree.yml."""
    from common_kpi.kpi_config import semantic_metrics_yaml

    committed = (PROJECT_DIR / SEMANTIC_METRICS_FILE).read_text(encoding="utf-8")
    assert committed == semantic_metrics_yaml(load_kpi_tree(PROJECT_DIR)), (
        "run common-kpi kpi-compile to refresh " + SEMANTIC_METRICS_FILE.as_posix()
    )


def test_semantic_metric_per_measured_node(project: Path) -> None:
    """One metric per KGI / KPI named after its id: yen and counts sum the whole-unit numerator
    of the long model, rates and scores divide its scaled numerator by its denominator."""
    compile_kpi_tree(project)
    document = yaml.safe_load((project / SEMANTIC_METRICS_FILE).read_text(encoding="utf-8"))
    metrics = {metric["name"]: metric for metric in document["metrics"]}
    tree = load_kpi_tree(project)
    assert list(metrics) == [node.id for node in tree.measured_nodes]
    assert metrics["kgi_revenue"]["type_params"]["measure"]["name"] == "kpi_whole_numerator"
    assert "= 'kgi_revenue'" in metrics["kgi_revenue"]["type_params"]["measure"]["filter"]
    assert metrics["nps"]["type"] == "ratio"
    assert metrics["nps"]["type_params"]["numerator"]["name"] == "kpi_month_scaled_numerator"
    (saved,) = document["saved_queries"]
    assert saved["query_params"]["metrics"] == list(metrics)
