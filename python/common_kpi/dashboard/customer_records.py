"""Drill-down for the customer KPIs and the KGIs: the records behind 継続率, NPS, アップセル率,
クロスセル率, 年間売上 and 営業利益率, read from the fct_* marts.

Every record set returns one row per record the KPI's judged value counts, over the KPI's
judged window (the evaluated month for a monthly KPI; the fiscal year's first month to the
evaluated month for a KPI judged fiscal-year-to-date), with two numbers per row:

- `numerator_value`: what the row adds to the KPI's numerator (1 retained / renewed / bought,
  +1 promoter, -1 detractor, yen of revenue or operating income);
- `denominator_value`: what it adds to the denominator (1 per customer / term / response, the
  term's MRR, the P&L's revenue; null for a KPI without a denominator).

So the sums of a listing are the mart's `judged_numerator` and `judged_denominator`
(python/tests/test_dashboard_records.py checks it on the demo). The rules that decide which
customer is retained, and which company cross-sold, are the KPI marts' own
(models/marts/kpi/kpi_retention_monthly.sql, kpi_revenue_per_customer_monthly.sql) applied to
the same facts; that test is what keeps the two in step. No customer person is listed: ids,
the company's registered name, our own staff (owner) by name, dates and amounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from common_kpi.warehouse import Warehouse

CUSTOMER_RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "crm_customer_id",
    "contract_ids",
    "opportunity_ids",
    "company_name",
    "owner_name",
    "business_unit",
    "product_line",
    "counted_at",
    "outcome_at",
    "amount_jpy",
    "score",
    "stage",
    "numerator_value",
    "denominator_value",
)
"""Columns of every customer-side record set (null where a set has nothing to say):
counted_at puts the record in the window (term end, response date, fiscal-year start, revenue
month), outcome_at is what followed (renewal start, first upsell / cross-sell start);
amount_jpy the money the row is about (due MRR, the deals won, the month's revenue)."""


@dataclass(frozen=True)
class Window:
    """The months a judged value covers, inclusive (both first days of a month)."""

    first_month: dt.date
    last_month: dt.date


def _finish(warehouse: Warehouse, body: str, order_by: str = "records.counted_at, records.record_id") -> str:
    """Complete `body`, SQL ending in a `records` CTE (the record columns, company_id instead
    of company_name / owner_name), with the company's registered name and its owner's name;
    `order_by` puts first what a manager looks for (churned customers, the ones that bought)."""
    companies = warehouse.relation("dim_companies")
    users = warehouse.relation("dim_users")
    return f"""
        {body}
        select
            records.record_id,
            records.crm_customer_id,
            records.contract_ids,
            records.opportunity_ids,
            companies.company_name,
            users.staff_name as owner_name,
            records.business_unit,
            records.product_line,
            records.counted_at,
            records.outcome_at,
            cast(records.amount_jpy as double) as amount_jpy,
            cast(records.score as integer) as score,
            records.stage,
            cast(records.numerator_value as double) as numerator_value,
            cast(records.denominator_value as double) as denominator_value
        from records
        left join {companies} as companies on companies.company_id = records.company_id
        left join {users} as users on users.user_id = companies.owner_user_id
        order by {order_by}
    """


def retention_sql(warehouse: Warehouse, basis: str) -> str:
    """継続率: contract terms ending in the window. Basis customer: one row per customer
    (retained when a due term was renewed or another term runs on past the last due end);
    contract: one row per term (renewed or not); revenue_mrr: one row per term with its MRR
    due and the MRR retained (its share of the renewal's MRR, capped at the terms it renews)."""
    contracts = warehouse.relation("fct_contracts")
    due = f"""
        due_terms as (
            select * from {contracts}
            where end_month_start_date between ? and ?
        ),
        renewals as (
            select contract_id, start_date from {contracts}
        )
    """
    if basis == "customer":
        body = f"""
            with {due},
            customers_due as (
                select
                    due_terms.end_month_start_date,
                    due_terms.customer_id,
                    max(due_terms.company_id) as company_id,
                    max(due_terms.business_unit) as business_unit,
                    string_agg(distinct due_terms.product_line, ',' order by due_terms.product_line)
                        as product_line,
                    string_agg(due_terms.contract_id, ',' order by due_terms.contract_id) as contract_ids,
                    string_agg(distinct due_terms.salesforce_opportunity_id, ',')
                        as opportunity_ids,
                    max(due_terms.end_date) as last_due_end_date,
                    min(renewals.start_date) as first_renewal_start_date,
                    sum(due_terms.monthly_revenue_jpy) as due_mrr_jpy,
                    max(case when due_terms.is_renewed then 1 else 0 end) as has_renewed_term
                from due_terms
                left join renewals on renewals.contract_id = due_terms.renewal_contract_id
                group by due_terms.end_month_start_date, due_terms.customer_id
            ),
            customers_running as (
                select
                    customers_due.*,
                    count(running.contract_id) as running_term_count
                from customers_due
                left join {contracts} as running
                    on running.customer_id = customers_due.customer_id
                    and customers_due.last_due_end_date >= running.start_date
                    and customers_due.last_due_end_date < running.end_date
                group by all
            ),
            customers_retained as (
                select
                    *,
                    has_renewed_term = 1 or running_term_count > 0 as is_retained
                from customers_running
            ),
            records as (
                select
                    customer_id || ':' || cast(end_month_start_date as varchar) as record_id,
                    customer_id as crm_customer_id,
                    contract_ids,
                    opportunity_ids,
                    company_id,
                    business_unit,
                    product_line,
                    cast(last_due_end_date as timestamp) as counted_at,
                    cast(first_renewal_start_date as timestamp) as outcome_at,
                    due_mrr_jpy as amount_jpy,
                    null as score,
                    case when is_retained then 'retained' else 'churned' end as stage,
                    case when is_retained then 1 else 0 end as numerator_value,
                    1 as denominator_value
                from customers_retained
            )
        """
        return _finish(warehouse, body, "records.numerator_value, records.counted_at, records.record_id")
    if basis in ("contract", "revenue_mrr"):
        if basis == "contract":
            numerator = "case when due_terms.is_renewed then 1 else 0 end"
            denominator = "1"
        else:
            # The mart's retained MRR per renewal: least(renewal MRR, MRR of the terms it
            # renews), shared among those terms in proportion to their MRR.
            numerator = """case when due_terms.is_renewed then
                case when groups.renewed_terms_mrr_jpy = 0 then 0 else
                    coalesce(due_terms.monthly_revenue_jpy, 0)
                    * least(coalesce(groups.renewal_mrr_jpy, 0), groups.renewed_terms_mrr_jpy)
                    / groups.renewed_terms_mrr_jpy
                end
            else 0 end"""
            denominator = "due_terms.monthly_revenue_jpy"
        body = f"""
            with {due},
            groups as (
                select
                    end_month_start_date,
                    renewal_contract_id,
                    sum(monthly_revenue_jpy) as renewed_terms_mrr_jpy,
                    max(renewal_monthly_revenue_jpy) as renewal_mrr_jpy
                from due_terms
                where is_renewed
                group by end_month_start_date, renewal_contract_id
            ),
            records as (
                select
                    due_terms.contract_id as record_id,
                    due_terms.customer_id as crm_customer_id,
                    due_terms.contract_id as contract_ids,
                    due_terms.salesforce_opportunity_id as opportunity_ids,
                    due_terms.company_id,
                    due_terms.business_unit,
                    due_terms.product_line,
                    cast(due_terms.end_date as timestamp) as counted_at,
                    cast(renewals.start_date as timestamp) as outcome_at,
                    due_terms.monthly_revenue_jpy as amount_jpy,
                    null as score,
                    case when due_terms.is_renewed then 'renewed' else 'churned' end as stage,
                    {numerator} as numerator_value,
                    {denominator} as denominator_value
                from due_terms
                left join renewals on renewals.contract_id = due_terms.renewal_contract_id
                left join groups
                    on groups.end_month_start_date = due_terms.end_month_start_date
                    and groups.renewal_contract_id = due_terms.renewal_contract_id
                    and due_terms.is_renewed
            )
        """
        return _finish(warehouse, body, "records.numerator_value, records.counted_at, records.record_id")
    raise ValueError(f"unknown retention basis {basis!r}")


def nps_sql(warehouse: Warehouse, basis: str | None = None) -> str:
    """NPS: the survey responses of the window; promoters add +1, detractors -1."""
    responses = warehouse.relation("fct_nps_responses")
    body = f"""
        with records as (
            select
                nps_response_id as record_id,
                customer_id as crm_customer_id,
                cast(null as varchar) as contract_ids,
                cast(null as varchar) as opportunity_ids,
                company_id,
                business_unit,
                cast(null as varchar) as product_line,
                cast(responded_at as timestamp) as counted_at,
                cast(null as timestamp) as outcome_at,
                null as amount_jpy,
                score,
                nps_category as stage,
                case nps_category when 'promoter' then 1 when 'detractor' then -1 else 0 end
                    as numerator_value,
                1 as denominator_value
            from {responses}
            where month_start_date between ? and ?
        )
    """
    return _finish(warehouse, body)


def _expansion_sql(warehouse: Warehouse, won_column: str, contract_type: str) -> str:
    """Customers active at the window's start; bought = won an upsell / cross-sell in it."""
    customer_months = warehouse.relation("fct_customer_months")
    contracts = warehouse.relation("fct_contracts")
    body = f"""
        with window_bounds as (
            select cast(? as date) as first_month, cast(? as date) as last_month
        ),
        cohort as (
            select customer_months.customer_id, customer_months.company_id, customer_months.business_unit
            from {customer_months} as customer_months
            cross join window_bounds
            where customer_months.month_start_date = window_bounds.first_month
                and customer_months.is_active_at_month_start
        ),
        wins as (
            select customer_months.customer_id, sum(customer_months.{won_column}) as won_count
            from {customer_months} as customer_months
            cross join window_bounds
            where customer_months.month_start_date
                between window_bounds.first_month and window_bounds.last_month
                and customer_months.{won_column} > 0
            group by customer_months.customer_id
        ),
        won_terms as (
            select
                contracts.customer_id,
                string_agg(contracts.contract_id, ',' order by contracts.start_date) as contract_ids,
                string_agg(contracts.salesforce_opportunity_id, ',' order by contracts.start_date)
                    as opportunity_ids,
                string_agg(distinct contracts.product_line, ',') as product_line,
                min(contracts.start_date) as first_start_date,
                sum(contracts.amount_jpy) as amount_jpy
            from {contracts} as contracts
            cross join window_bounds
            where contracts.contract_type = '{contract_type}'
                and date_trunc('month', contracts.start_date) between window_bounds.first_month
                    and window_bounds.last_month
            group by contracts.customer_id
        ),
        records as (
            select
                cohort.customer_id as record_id,
                cohort.customer_id as crm_customer_id,
                won_terms.contract_ids,
                won_terms.opportunity_ids,
                cohort.company_id,
                cohort.business_unit,
                won_terms.product_line,
                cast(window_bounds.first_month as timestamp) as counted_at,
                cast(won_terms.first_start_date as timestamp) as outcome_at,
                won_terms.amount_jpy,
                null as score,
                case when wins.won_count > 0 then 'bought' else 'not_bought' end as stage,
                case when wins.won_count > 0 then 1 else 0 end as numerator_value,
                1 as denominator_value
            from cohort
            cross join window_bounds
            left join wins on wins.customer_id = cohort.customer_id
            left join won_terms on won_terms.customer_id = cohort.customer_id and wins.won_count > 0
        )
    """
    return _finish(warehouse, body, "records.numerator_value desc, records.outcome_at, records.record_id")


def upsell_sql(warehouse: Warehouse, basis: str | None = None) -> str:
    """アップセル率: the CRM customers active at the fiscal year's start; bought = an upsell won."""
    return _expansion_sql(warehouse, "upsell_won_count", "upsell")


def cross_sell_sql(warehouse: Warehouse, basis: str | None) -> str:
    """クロスセル率. Basis business_unit: CRM customers, as アップセル率. Basis company (default):
    companies (their CRM customers of every business unit together) active at the window's
    start; bought = a term of a product line the company did not hold, in any business unit."""
    if basis == "business_unit":
        return _expansion_sql(warehouse, "cross_sell_won_count", "cross_sell")
    customer_months = warehouse.relation("fct_customer_months")
    contracts = warehouse.relation("fct_contracts")
    company_key = "coalesce(company_id, 'customer:' || customer_id)"
    body = f"""
        with window_bounds as (
            select cast(? as date) as first_month, cast(? as date) as last_month
        ),
        company_terms as (
            select
                contract_id,
                {company_key} as company_key,
                product_line,
                contract_type,
                salesforce_opportunity_id,
                amount_jpy,
                start_date,
                end_date
            from {contracts}
        ),
        cross_sells as (
            select
                new_terms.company_key,
                new_terms.contract_id,
                new_terms.salesforce_opportunity_id,
                new_terms.product_line,
                new_terms.amount_jpy,
                new_terms.start_date
            from company_terms as new_terms
            inner join company_terms as held
                on new_terms.company_key = held.company_key
                and new_terms.contract_id != held.contract_id
                and new_terms.start_date > held.start_date
                and new_terms.start_date - interval 1 day <= held.end_date
            where new_terms.contract_type != 'renewal'
            group by all
            having max(case when held.product_line = new_terms.product_line then 1 else 0 end) = 0
        ),
        company_wins as (
            select
                cross_sells.company_key,
                string_agg(cross_sells.contract_id, ',' order by cross_sells.start_date) as contract_ids,
                string_agg(cross_sells.salesforce_opportunity_id, ',' order by cross_sells.start_date)
                    as opportunity_ids,
                string_agg(distinct cross_sells.product_line, ',') as product_line,
                min(cross_sells.start_date) as first_start_date,
                sum(cross_sells.amount_jpy) as amount_jpy
            from cross_sells
            cross join window_bounds
            where date_trunc('month', cross_sells.start_date) between window_bounds.first_month
                and window_bounds.last_month
            group by cross_sells.company_key
        ),
        cohort as (
            select
                {company_key} as company_key,
                max(company_id) as company_id,
                string_agg(distinct customer_id, ',' order by customer_id) as customer_ids,
                string_agg(distinct business_unit, ',' order by business_unit) as business_units
            from {customer_months}
            cross join window_bounds
            where month_start_date = window_bounds.first_month
            group by {company_key}
            having max(case when is_active_at_month_start then 1 else 0 end) = 1
        ),
        records as (
            select
                cohort.company_key as record_id,
                cohort.customer_ids as crm_customer_id,
                company_wins.contract_ids,
                company_wins.opportunity_ids,
                cohort.company_id,
                cohort.business_units as business_unit,
                company_wins.product_line,
                cast(window_bounds.first_month as timestamp) as counted_at,
                cast(company_wins.first_start_date as timestamp) as outcome_at,
                company_wins.amount_jpy,
                null as score,
                case when company_wins.company_key is not null then 'bought' else 'not_bought' end as stage,
                case when company_wins.company_key is not null then 1 else 0 end as numerator_value,
                1 as denominator_value
            from cohort
            cross join window_bounds
            left join company_wins on company_wins.company_key = cohort.company_key
        )
    """
    return _finish(warehouse, body, "records.numerator_value desc, records.outcome_at, records.record_id")


def revenue_sql(warehouse: Warehouse, basis: str | None) -> str:
    """年間売上. Basis contract_revenue (default): the customer-months of the window with
    revenue recognised (a month without revenue adds nothing); pl_revenue: the P&L rows."""
    if basis == "pl_revenue":
        return pl_sql(warehouse, "revenue_jpy", None)
    customer_months = warehouse.relation("fct_customer_months")
    body = f"""
        with records as (
            select
                customer_id || ':' || cast(month_start_date as varchar) as record_id,
                customer_id as crm_customer_id,
                cast(null as varchar) as contract_ids,
                cast(null as varchar) as opportunity_ids,
                company_id,
                business_unit,
                product_lines_active as product_line,
                cast(month_start_date as timestamp) as counted_at,
                cast(null as timestamp) as outcome_at,
                recurring_revenue_jpy as amount_jpy,
                null as score,
                cast(null as varchar) as stage,
                recurring_revenue_jpy as numerator_value,
                null as denominator_value
            from {customer_months}
            where month_start_date between ? and ? and recurring_revenue_jpy != 0
        )
    """
    return _finish(warehouse, body, "records.amount_jpy desc, records.record_id")


def pl_sql(warehouse: Warehouse, numerator: str, denominator: str | None) -> str:
    """Rows of the P&L (month x business unit)."""
    pl_months = warehouse.relation("fct_pl_months")
    body = f"""
        with records as (
            select
                business_unit || ':' || cast(month_start_date as varchar) as record_id,
                cast(null as varchar) as crm_customer_id,
                cast(null as varchar) as contract_ids,
                cast(null as varchar) as opportunity_ids,
                cast(null as varchar) as company_id,
                business_unit,
                cast(null as varchar) as product_line,
                cast(month_start_date as timestamp) as counted_at,
                cast(null as timestamp) as outcome_at,
                {numerator} as amount_jpy,
                null as score,
                cast(null as varchar) as stage,
                {numerator} as numerator_value,
                {denominator or "null"} as denominator_value
            from {pl_months}
            where month_start_date between ? and ?
        )
    """
    return _finish(warehouse, body)


def operating_margin_sql(warehouse: Warehouse, basis: str | None = None) -> str:
    """営業利益率: the P&L rows; operating income over revenue."""
    return pl_sql(warehouse, "operating_income_jpy", "revenue_jpy")


CUSTOMER_RECORD_SETS: dict[str, Callable[[Warehouse, str | None], str]] = {
    "retention_rate": lambda warehouse, basis: retention_sql(warehouse, basis or "customer"),
    "nps": nps_sql,
    "upsell_rate": upsell_sql,
    "cross_sell_rate": cross_sell_sql,
    "kgi_revenue": revenue_sql,
    "kgi_operating_margin": operating_margin_sql,
}
"""kpi_id → the SQL of its records for a basis; parameters: the window's first and last month."""


def customer_records_sql(warehouse: Warehouse, kpi_id: str, basis: str | None) -> str:
    return CUSTOMER_RECORD_SETS[kpi_id](warehouse, basis)


def value_kind(kpi_id: str, basis: str | None) -> str:
    """The format of a record set's numerator and denominator values: yen for revenue, MRR and
    operating income, a count otherwise (1 per customer, term or response)."""
    if kpi_id in ("kgi_revenue", "kgi_operating_margin") or (kpi_id, basis) == (
        "retention_rate",
        "revenue_mrr",
    ):
        return "jpy_full"
    return "count"
