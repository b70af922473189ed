"""The drill-down of the customer KPIs and the KGIs lists exactly what the KPI marts count.

For each KPI (and each basis its mart lets us check), over the last months of the demo, the
records' numerator and denominator values add up to the mart's judged numerator and
denominator: 継続率 (customers, contract terms, MRR), NPS (responses: promoters minus
detractors over responses), アップセル率 / クロスセル率 (customers or companies active at the
fiscal year's start, and those that bought), 年間売上 (customer-months or P&L rows) and
営業利益率 (P&L rows). Read from the BI file, as the dashboard reads it.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from dashboard_harness import warehouse_under_test

from common_kpi.bi_export import default_bi_path
from common_kpi.dashboard import queries, render
from common_kpi.dashboard.customer_records import (
    CUSTOMER_RECORD_COLUMNS,
    CUSTOMER_RECORD_SETS,
    customer_records_sql,
)
from common_kpi.tree import KPI_MARTS
from common_kpi.warehouse import Warehouse

MONTHS_CHECKED = 4


@pytest.fixture(scope="module")
def bi(request: pytest.FixtureRequest) -> Warehouse:
    return Warehouse.bi(default_bi_path(warehouse_under_test(request)[0]))


def mart_rows(bi: Warehouse, kpi_id: str) -> pd.DataFrame:
    """The KPI's mature, judged months of its mart, latest first (MONTHS_CHECKED of them)."""
    for mart in KPI_MARTS:
        frame = bi.query(
            f"select * from {bi.relation(mart)} where kpi_id = ? and is_mature "
            "and judged_numerator is not null order by month_start_date desc limit ?",
            [kpi_id, MONTHS_CHECKED],
        )
        if len(frame):
            return frame
    raise AssertionError(f"{kpi_id}: no mature month in the KPI marts")


def records(bi: Warehouse, kpi_id: str, basis: str | None, month: dt.date) -> pd.DataFrame:
    window = queries.judged_window(bi, kpi_id, month)
    return bi.query(customer_records_sql(bi, kpi_id, basis), [window.first_month, window.last_month])


def assert_sums(frame: pd.DataFrame, numerator: object, denominator: object, what: str) -> None:
    assert math.isclose(frame["numerator_value"].sum(), float(numerator), rel_tol=1e-9), f"{what}: numerator"
    if denominator is None or pd.isna(denominator):
        assert frame["denominator_value"].isna().all(), f"{what}: no denominator"
    else:
        assert math.isclose(frame["denominator_value"].sum(), float(denominator), rel_tol=1e-9), (
            f"{what}: denominator"
        )


@pytest.mark.slow
@pytest.mark.parametrize("kpi_id", list(CUSTOMER_RECORD_SETS))
def test_records_add_up_to_the_marts_judged_value(bi: Warehouse, kpi_id: str) -> None:
    """The KPI's configured basis (kpi_tree.yml): the listing through `kpi_records`, as the
    /records page shows it, for the last MONTHS_CHECKED mature months."""
    rows = mart_rows(bi, kpi_id)
    for row in rows.itertuples(index=False):
        month = pd.Timestamp(row.month_start_date).date()
        listed = queries.kpi_records(bi, kpi_id, month)
        assert listed is not None
        assert list(listed.columns) == list(CUSTOMER_RECORD_COLUMNS)
        assert listed["record_id"].is_unique, f"{kpi_id} {month}: one row per record"
        assert_sums(listed, row.judged_numerator, row.judged_denominator, f"{kpi_id} {month}")
        text = listed.astype(str).to_string()
        assert "@" not in text, "no email address in a drill-down"


@pytest.mark.slow
def test_retention_every_basis_adds_up(bi: Warehouse) -> None:
    """継続率 on the bases the mart does not judge: MRR against the mart's due / retained MRR
    columns (shown beside it whatever the basis), terms against fct_customer_months' due /
    renewed term counts."""
    customer_months = bi.relation("fct_customer_months")
    for row in mart_rows(bi, "retention_rate").itertuples(index=False):
        month = pd.Timestamp(row.month_start_date).date()
        assert_sums(
            records(bi, "retention_rate", "revenue_mrr", month),
            row.retained_mrr_jpy,
            row.due_mrr_jpy,
            f"MRR {month}",
        )
        terms = bi.query(
            f"select sum(contracts_renewed_count) as renewed, sum(contracts_due_count) as due "
            f"from {customer_months} where month_start_date = ?",
            [month],
        ).iloc[0]
        assert_sums(
            records(bi, "retention_rate", "contract", month), terms["renewed"], terms["due"], f"terms {month}"
        )
        customers = records(bi, "retention_rate", "customer", month)
        if row.basis == "customer":
            assert_sums(customers, row.judged_numerator, row.judged_denominator, f"customers {month}")


@pytest.mark.slow
def test_revenue_on_the_pl_basis_is_the_margins_denominator(bi: Warehouse) -> None:
    """年間売上 on the P&L: its rows add up to the P&L revenue 営業利益率 divides by."""
    for row in mart_rows(bi, "kgi_operating_margin").itertuples(index=False):
        month = pd.Timestamp(row.month_start_date).date()
        listed = records(bi, "kgi_revenue", "pl_revenue", month)
        assert_sums(listed, row.judged_denominator, None, f"P&L revenue {month}")


def test_record_links_to_crm_and_salesforce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(render.SALESFORCE_URL_ENV, "https://example.my.salesforce.com/")
    monkeypatch.setenv(render.CRM_CUSTOMER_URL_ENV, "https://crm.example.co.jp/customers/{id}/view")
    monkeypatch.setenv(render.CRM_CONTRACT_URL_ENV, "https://crm.example.co.jp/contracts")
    monkeypatch.delenv(render.HUBSPOT_URL_ENV, raising=False)
    frame = pd.DataFrame(
        {"crm_customer_id": ["C100001"], "contract_ids": ["K1,K2"], "opportunity_ids": ["0065g000001maZ7AAI"]}
    )
    assert render.record_links(frame) == {
        "crm_customer_id": {"C100001": "https://crm.example.co.jp/customers/C100001/view"},
        "contract_ids": {"K1,K2": "https://crm.example.co.jp/contracts/K1"},
        "opportunity_ids": {
            "0065g000001maZ7AAI": "https://example.my.salesforce.com/lightning/r/Opportunity/0065g000001maZ7AAI/view"
        },
    }


def test_bi_file_missing_is_a_clear_error(tmp_path: Path) -> None:
    from common_kpi.warehouse import WarehouseError

    with pytest.raises(WarehouseError, match="BI file") as raised:
        Warehouse.bi(tmp_path / "bi" / "common_kpi.duckdb")
    assert "make build" in str(raised.value)


def test_retention_records_on_hand_made_contracts(tmp_path: Path) -> None:
    """継続率 of May 2026 on four customers, computed by hand:
    A: A1 (MRR 100) ends 05-15, renewed by A2 (MRR 120)       → retained; MRR retained min(120, 100) = 100
    B: B1, B2 (MRR 50 each) end 05-31, co-termed renewal B3 (MRR 60) → retained; 60 shared 30 + 30
    C: C1 (MRR 40) ends 05-20 unrenewed, C2 runs 01-01..12-31  → retained (another term runs on)
    D: D1 (MRR 30) ends 05-10 unrenewed, nothing else          → churned
    customer basis 3 / 4; contract basis (A1, B1, B2 renewed) 3 / 5;
    MRR basis (100 + 30 + 30) = 160 / (100 + 50 + 50 + 40 + 30) = 270."""
    import duckdb

    contracts = pd.DataFrame(
        [
            ("A1", "A", "2025-05-16", "2026-05-15", 100, True, "A2", 120),
            ("A2", "A", "2026-05-16", "2027-05-15", 120, False, None, None),
            ("B1", "B", "2025-06-01", "2026-05-31", 50, True, "B3", 60),
            ("B2", "B", "2025-09-01", "2026-05-31", 50, True, "B3", 60),
            ("B3", "B", "2026-06-01", "2027-05-31", 60, False, None, None),
            ("C1", "C", "2025-05-21", "2026-05-20", 40, False, None, None),
            ("C2", "C", "2026-01-01", "2026-12-31", 70, False, None, None),
            ("D1", "D", "2025-05-11", "2026-05-10", 30, False, None, None),
        ],
        columns=[
            "contract_id",
            "customer_id",
            "start_date",
            "end_date",
            "monthly_revenue_jpy",
            "is_renewed",
            "renewal_contract_id",
            "renewal_monthly_revenue_jpy",
        ],
    )
    path = tmp_path / "bi.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.register("contracts", contracts)
        connection.execute("create schema main_marts")
        connection.execute(
            """
            create table main_marts.fct_contracts as
            select
                contract_id, customer_id, 'co_' || customer_id as company_id,
                'SaaS事業部' as business_unit, 'CRM Suite' as product_line, 'new' as contract_type,
                cast(null as varchar) as salesforce_opportunity_id,
                cast(start_date as date) as start_date, cast(end_date as date) as end_date,
                cast(date_trunc('month', cast(end_date as date)) as date) as end_month_start_date,
                cast(monthly_revenue_jpy as double) as monthly_revenue_jpy, 0.0 as amount_jpy,
                is_renewed, renewal_contract_id,
                cast(renewal_monthly_revenue_jpy as double) as renewal_monthly_revenue_jpy
            from contracts
            """
        )
        connection.execute(
            "create table main_marts.dim_companies as select 'co_' || c as company_id, "
            "c || '社' as company_name, 'u1' as owner_user_id "
            "from (values ('A'), ('B'), ('C'), ('D')) as t(c)"
        )
        connection.execute(
            "create table main_marts.dim_users as select 'u1' as user_id, '山田 太郎' as staff_name"
        )
    bi = Warehouse(path)
    may = dt.date(2026, 5, 1)

    def listed(basis: str) -> pd.DataFrame:
        return bi.query(customer_records_sql(bi, "retention_rate", basis), [may, may])

    customers = listed("customer").set_index("crm_customer_id")
    assert customers["stage"].to_dict() == {"A": "retained", "B": "retained", "C": "retained", "D": "churned"}
    assert (customers["numerator_value"].sum(), customers["denominator_value"].sum()) == (3, 4)
    assert customers.loc["D", "company_name"] == "D社" and customers.loc["D", "owner_name"] == "山田 太郎"
    assert customers.index[0] == "D", "churned first"
    terms = listed("contract").set_index("record_id")
    assert (terms["numerator_value"].sum(), terms["denominator_value"].sum()) == (3, 5)
    mrr = listed("revenue_mrr").set_index("record_id")
    assert mrr["numerator_value"].to_dict() == {"A1": 100, "B1": 30, "B2": 30, "C1": 0, "D1": 0}
    assert mrr["denominator_value"].sum() == 270


def test_company_cross_sell_records_on_hand_made_contracts(tmp_path: Path) -> None:
    """クロスセル率 (basis company) of FY2026 to September, by hand. Companies active on 2026-04-01:
    X: CRM Suite (SaaS customer X1) running; Consulting bought 06-01 by its consulting customer X2
       → a product line the company did not hold: bought
    Y: CRM Suite renewed 04-01, more CRM Suite (upsell) 07-01 → same product line: not bought
    Z: CRM Suite running; Analytics 05-01 → bought
    W: first term starts 05-01 (not active at the year's start), Analytics 08-01 → not listed
    cohort 3 (X, Y, Z), bought 2 (X, Z)."""
    import duckdb

    contracts = pd.DataFrame(
        [
            ("X1a", "X1", "X", "CRM Suite", "new", "2025-01-01", "2026-12-31"),
            ("X2a", "X2", "X", "Consulting", "new", "2026-06-01", "2026-11-30"),
            ("Y1a", "Y1", "Y", "CRM Suite", "new", "2025-04-01", "2026-03-31"),
            ("Y1b", "Y1", "Y", "CRM Suite", "renewal", "2026-04-01", "2027-03-31"),
            ("Y1c", "Y1", "Y", "CRM Suite", "upsell", "2026-07-01", "2027-03-31"),
            ("Z1a", "Z1", "Z", "CRM Suite", "new", "2025-10-01", "2026-09-30"),
            ("Z1b", "Z1", "Z", "Analytics", "cross_sell", "2026-05-01", "2026-09-30"),
            ("W1a", "W1", "W", "CRM Suite", "new", "2026-05-01", "2027-04-30"),
            ("W1b", "W1", "W", "Analytics", "cross_sell", "2026-08-01", "2027-04-30"),
        ],
        columns=[
            "contract_id",
            "customer_id",
            "company",
            "product_line",
            "contract_type",
            "start_date",
            "end_date",
        ],
    )
    april = pd.DataFrame(
        [("X1", "X", True), ("X2", "X", False), ("Y1", "Y", True), ("Z1", "Z", True)],
        columns=["customer_id", "company", "is_active_at_month_start"],
    )
    path = tmp_path / "bi.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.register("contracts", contracts)
        connection.register("april", april)
        connection.execute("create schema main_marts")
        connection.execute(
            """
            create table main_marts.fct_contracts as
            select
                contract_id, customer_id, 'co_' || company as company_id, 'SaaS事業部' as business_unit,
                product_line, contract_type, 'opp_' || contract_id as salesforce_opportunity_id,
                cast(start_date as date) as start_date, cast(end_date as date) as end_date,
                100000.0 as amount_jpy
            from contracts
            """
        )
        connection.execute(
            """
            create table main_marts.fct_customer_months as
            select
                customer_id, 'co_' || company as company_id, 'SaaS事業部' as business_unit,
                date '2026-04-01' as month_start_date, is_active_at_month_start
            from april
            """
        )
        connection.execute(
            "create table main_marts.dim_companies as select 'co_' || c as company_id, "
            "c || '社' as company_name, 'u1' as owner_user_id "
            "from (values ('X'), ('Y'), ('Z'), ('W')) as t(c)"
        )
        connection.execute(
            "create table main_marts.dim_users as select 'u1' as user_id, '山田 太郎' as staff_name"
        )
    bi = Warehouse(path)
    listed = bi.query(
        customer_records_sql(bi, "cross_sell_rate", "company"), [dt.date(2026, 4, 1), dt.date(2026, 9, 1)]
    ).set_index("company_name")
    assert listed["stage"].to_dict() == {"X社": "bought", "Z社": "bought", "Y社": "not_bought"}
    assert (listed["numerator_value"].sum(), listed["denominator_value"].sum()) == (2, 3)
    assert listed.loc["X社", "contract_ids"] == "X2a" and listed.loc["Z社", "opportunity_ids"] == "opp_Z1b"
    assert listed.loc["X社", "crm_customer_id"] == "X1,X2"
