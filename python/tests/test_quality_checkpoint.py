"""`common-kpi quality` on the demo build: the GX checkpoint, the KPI reconciliation and the
personal-data check pass, and each of them fails, with a readable line, on damaged data."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from common_kpi.quality import main, run_quality


@pytest.fixture()
def damaged_copy(built_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse (same file name, so its views still resolve)."""
    copy = tmp_path / "damaged" / built_warehouse.name
    copy.parent.mkdir()
    shutil.copyfile(built_warehouse, copy)
    return copy


def _latest_month(connection: duckdb.DuckDBPyConnection, kpi_id: str) -> str:
    return connection.execute(
        "select max(month_start_date)::varchar from main_marts.kpi_new_customers_monthly "
        "where kpi_id = ? and denominator > 0",
        [kpi_id],
    ).fetchone()[0]


@pytest.mark.slow
def test_quality_passes_on_the_demo_build(built_warehouse: Path, demo_raw_path: Path, tmp_path: Path) -> None:
    result = run_quality(
        warehouse=built_warehouse,
        raw_path=demo_raw_path,
        target_path=built_warehouse.parent / "target",
        docs_dir=tmp_path / "data_docs",
    )
    print(result.report())
    assert result.passed, result.report()
    assert [name for name, _, _ in result.sections] == [
        "Great Expectations checkpoint",
        "KPI reconciliation",
        "Personal data in marts",
    ]
    assert all(evaluated > 0 for _, evaluated, _ in result.sections)
    assert result.docs_index == tmp_path / "data_docs" / "index.html"
    assert result.docs_index.exists()
    assert any((tmp_path / "data_docs" / "validations").rglob("*.html"))
    # Self-contained: no page of the demo's data docs loads an asset from the network.
    from common_kpi.quality.data_docs_offline import network_assets

    pages = list((tmp_path / "data_docs").rglob("*.html"))
    assert [page.name for page in pages if network_assets(page.read_text(encoding="utf-8"))] == []


@pytest.mark.slow
def test_a_rate_of_1_3_fails_the_checkpoint_with_a_readable_line(
    damaged_copy: Path, demo_raw_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with duckdb.connect(str(damaged_copy)) as connection:
        month = _latest_month(connection, "win_rate")
        connection.execute(
            "update main_marts.kpi_new_customers_monthly set actual = 1.3 "
            "where kpi_id = 'win_rate' and month_start_date = ?",
            [month],
        )

    exit_code = main(
        [
            "--warehouse", str(damaged_copy),
            "--raw-path", str(demo_raw_path),
            "--docs-dir", str(tmp_path / "data_docs"),
            "--only", "gx",
        ]
    )  # fmt: skip

    out = capsys.readouterr().out
    assert exit_code == 1
    expected = (
        "FAIL marts.kpi_values | rate_actual | expect_column_values_to_be_between(min_value=0, max_value=1) "
        "| observed: 1 of "
    )
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith(expected)]
    assert len(lines) == 1, out
    assert lines[0].endswith("e.g. [1.3]"), lines[0]
    assert "Great Expectations data docs:" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kpi_id", "basis"),
    [("mql_to_opportunity_rate", "ma_handoff"), ("lead_handoff_sla_rate", "business_days")],
)
def test_a_wrong_kpi_numerator_fails_the_reconciliation_with_both_values(
    damaged_copy: Path, demo_raw_path: Path, tmp_path: Path, kpi_id: str, basis: str
) -> None:
    with duckdb.connect(str(damaged_copy)) as connection:
        month = _latest_month(connection, kpi_id)
        numerator, denominator = connection.execute(
            "select numerator, denominator from main_marts.kpi_new_customers_monthly "
            "where kpi_id = ? and month_start_date = ?",
            [kpi_id, month],
        ).fetchone()
        connection.execute(
            "update main_marts.kpi_new_customers_monthly set numerator = numerator + 1 "
            "where kpi_id = ? and month_start_date = ?",
            [kpi_id, month],
        )

    result = run_quality(
        warehouse=damaged_copy,
        raw_path=demo_raw_path,
        target_path=tmp_path,
        docs_dir=tmp_path / "data_docs",
        sections=("kpi",),
    )

    assert [failure.expectation for failure in result.failures] == [f"{kpi_id} ({basis}) {month[:7]}"]
    observed = result.failures[0].observed
    assert f"mart {numerator + 1:g} / {denominator:g}" in observed
    assert f"recomputed {numerator:g} / {denominator:g}" in observed


def test_a_missing_warehouse_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--warehouse", str(tmp_path / "none.duckdb"), "--raw-path", str(tmp_path)]) == 2
    assert "run `make build` first" in capsys.readouterr().err
