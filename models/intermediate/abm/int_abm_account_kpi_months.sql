-- Account-level KPIs of every company and reporting month, measured on the month's
-- evaluation date (its last day, or the as-of date for the running month):
--   pipeline  opportunities open on that date (created on or before it, and still open or
--             closed after it): their amount and amount × probability_rate. The raw data
--             keeps no stage history, so the probability is the opportunity's current one
--             (for an opportunity closed since, that of its closing stage; docs/abm.md).
--   won       opportunities won with a close date in the month.
--   renewal   contract terms whose end_date falls in the trailing
--             abm_renewal_rate_window_months months up to the evaluation date and whose
--             renewal is decided (the grace period is over): renewed / due.
with

account_months as (
    select * from {{ ref('int_abm_account_months') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

contracts as (
    select * from {{ ref('fct_contracts') }}
),

open_pipeline as (
    select
        account_months.company_id,
        account_months.month_start_date,
        count(*) as open_opportunity_count,
        sum(opportunities.amount_jpy) as open_pipeline_amount_jpy,
        sum(opportunities.amount_jpy * opportunities.probability_rate) as weighted_pipeline_amount_jpy
    from account_months
    inner join opportunities
        on
            account_months.company_id = opportunities.company_id
            and account_months.evaluation_date >= opportunities.created_date
            and (
                not opportunities.is_closed
                or account_months.evaluation_date < opportunities.close_date
            )
    group by
        account_months.company_id,
        account_months.month_start_date
),

won_opportunities as (
    select
        account_months.company_id,
        account_months.month_start_date,
        count(*) as won_opportunity_count,
        sum(opportunities.amount_jpy) as won_amount_jpy
    from account_months
    inner join opportunities
        on
            account_months.company_id = opportunities.company_id
            and account_months.month_start_date = opportunities.close_month_start_date
    where opportunities.is_won
    group by
        account_months.company_id,
        account_months.month_start_date
),

renewals as (
    select
        account_months.company_id,
        account_months.month_start_date,
        count(*) as contracts_due_count,
        sum(case when contracts.is_renewed then 1 else 0 end) as contracts_renewed_count
    from account_months
    inner join contracts
        on
            account_months.company_id = contracts.company_id
            and account_months.evaluation_date >= contracts.end_date
            and {{ dbt.dateadd(
                'month', -1 * var('abm_renewal_rate_window_months'), 'account_months.evaluation_date'
            ) }} < contracts.end_date
    where contracts.is_renewal_decided
    group by
        account_months.company_id,
        account_months.month_start_date
),

final as (
    select
        account_months.company_id,
        account_months.month_start_date,
        cast(coalesce(open_pipeline.open_opportunity_count, 0) as {{ dbt.type_bigint() }})
            as open_opportunity_count,
        cast(coalesce(open_pipeline.open_pipeline_amount_jpy, 0) as decimal(18, 2)) as open_pipeline_amount_jpy,
        cast(coalesce(open_pipeline.weighted_pipeline_amount_jpy, 0) as decimal(18, 2))
            as weighted_pipeline_amount_jpy,
        cast(coalesce(won_opportunities.won_opportunity_count, 0) as {{ dbt.type_bigint() }})
            as won_opportunity_count,
        cast(coalesce(won_opportunities.won_amount_jpy, 0) as decimal(18, 2)) as won_amount_jpy,
        cast(coalesce(renewals.contracts_due_count, 0) as {{ dbt.type_bigint() }}) as contracts_due_count,
        cast(coalesce(renewals.contracts_renewed_count, 0) as {{ dbt.type_bigint() }}) as contracts_renewed_count,
        {{ kpi_safe_divide('renewals.contracts_renewed_count', 'renewals.contracts_due_count') }} as renewal_rate
    from account_months
    left join open_pipeline
        on
            account_months.company_id = open_pipeline.company_id
            and account_months.month_start_date = open_pipeline.month_start_date
    left join won_opportunities
        on
            account_months.company_id = won_opportunities.company_id
            and account_months.month_start_date = won_opportunities.month_start_date
    left join renewals
        on
            account_months.company_id = renewals.company_id
            and account_months.month_start_date = renewals.month_start_date
)

select * from final
