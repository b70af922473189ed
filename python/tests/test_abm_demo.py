"""ABM marts on the demo warehouse: they add up to each other and to their inputs."""

from __future__ import annotations

import duckdb


def scalar(warehouse: duckdb.DuckDBPyConnection, sql: str) -> object:
    return warehouse.execute(sql).fetchone()[0]


def test_every_company_has_one_abm_account_row(warehouse: duckdb.DuckDBPyConnection) -> None:
    companies = scalar(warehouse, "select count(*) from main_marts.dim_companies")
    accounts = scalar(warehouse, "select count(distinct company_id) from main_marts.abm_accounts")
    assert scalar(warehouse, "select count(*) from main_marts.abm_accounts") == companies == accounts


def test_tier_months_add_up_to_account_months(warehouse: duckdb.DuckDBPyConnection) -> None:
    mismatches = scalar(
        warehouse,
        """
        with by_tier as (
            select month_start_date, sum(account_count) as accounts, sum(won_amount_jpy) as won
            from main_marts.abm_tier_months group by month_start_date
        ),
        by_account as (
            select month_start_date, count(*) as accounts, sum(won_amount_jpy) as won
            from main_marts.abm_account_months group by month_start_date
        )
        select count(*)
        from by_tier
        full outer join by_account using (month_start_date)
        where by_tier.accounts is distinct from by_account.accounts
            or by_tier.won is distinct from by_account.won
        """,
    )
    assert mismatches == 0


def test_spread_counters_keep_every_visit(warehouse: duckdb.DuckDBPyConnection) -> None:
    """The lifetime visit / page-view counters of contacts with a company, spread over months,
    still add up to the counters."""
    spread, counted = warehouse.execute(
        """
        with contact_companies as (
            select identity.source_record_id as hubspot_contact_id
            from main_intermediate.int_person_identity as identity
            inner join main_intermediate.int_person_company as person_company
                on identity.person_id = person_company.person_id
            where identity.source_table = 'hubspot.contact' and person_company.company_id is not null
        )
        select
            (select sum(activity_count) from main_intermediate.int_abm_company_activity_days
             where activity_type in ('web_visit', 'page_view')),
            (select sum(visit_count + page_view_count)
             from main_staging.stg_hubspot__contacts as contacts
             inner join contact_companies using (hubspot_contact_id)
             where contacts.last_visit_at is not null)
        """
    ).fetchone()
    assert counted > 0
    assert abs(spread - counted) < 1e-6 * counted


def test_latest_complete_month_has_every_tier(warehouse: duckdb.DuckDBPyConnection) -> None:
    tiers = warehouse.execute(
        """
        select tier_code, count(*)
        from main_marts.abm_accounts
        where tier_code is not null
        group by tier_code
        """
    ).fetchall()
    assert {tier for tier, _ in tiers} == {"tier_1", "tier_2", "tier_3"}
