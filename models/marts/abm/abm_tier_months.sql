-- ABM tiers by month, to judge the scoring itself (do target accounts convert better?):
-- one row per tier and reporting month, every tier present even without accounts. An
-- account counts in the tier it holds in that month; so do its MQLs of the month
-- (fct_lead_funnel.mql_month_start_date; people without a company are not ABM and are left
-- out) and its opportunities closed in the month (types in var abm_win_rate_opportunity_types).
--   mql_to_opportunity_rate = MQLs with a new-business opportunity within the window /
--                             MQLs whose window has passed (mature cohort), as in the funnel
--   win_rate                = won / closed opportunities
--   renewal_rate            = renewed / due contract terms over the accounts' trailing window
with

account_months as (
    select * from {{ ref('abm_account_months') }}
),

tiers as (
    select * from {{ ref('abm_tiers') }}
),

lead_funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

reporting_months as (
    select distinct
        month_start_date,
        is_complete
    from account_months
),

tier_month_scaffold as (
    select
        tiers.tier_code,
        tiers.tier_number,
        reporting_months.month_start_date,
        reporting_months.is_complete
    from tiers
    cross join reporting_months
),

tier_accounts as (
    select
        tier_code,
        month_start_date,
        count(*) as account_count,
        sum(case when tier_movement = 'new' then 1 else 0 end) as new_account_count,
        sum(case when tier_movement = 'up' then 1 else 0 end) as moved_up_account_count,
        sum(case when tier_movement = 'down' then 1 else 0 end) as moved_down_account_count,
        -- averaged as a fixed-point decimal: a float sum depends on the order rows arrive in,
        -- and a rebuild must give the same figures
        avg(cast(total_score as {{ dbt.type_numeric() }})) as average_total_score,
        sum(open_pipeline_amount_jpy) as open_pipeline_amount_jpy,
        sum(weighted_pipeline_amount_jpy) as weighted_pipeline_amount_jpy,
        sum(won_amount_jpy) as won_amount_jpy,
        sum(contracts_due_count) as contracts_due_count,
        sum(contracts_renewed_count) as contracts_renewed_count
    from account_months
    group by
        tier_code,
        month_start_date
),

tier_mqls as (
    select
        account_months.tier_code,
        account_months.month_start_date,
        count(*) as mql_count,
        sum(case when lead_funnel.is_mql_cohort_mature then 1 else 0 end) as mature_mql_count,
        sum(
            case when lead_funnel.is_mql_cohort_mature and lead_funnel.has_opportunity_within_window then 1 else 0 end
        ) as mql_with_opportunity_count
    from lead_funnel
    inner join account_months
        on
            lead_funnel.company_id = account_months.company_id
            and lead_funnel.mql_month_start_date = account_months.month_start_date
    group by
        account_months.tier_code,
        account_months.month_start_date
),

tier_closed_opportunities as (
    select
        account_months.tier_code,
        account_months.month_start_date,
        count(*) as closed_opportunity_count,
        sum(case when opportunities.is_won then 1 else 0 end) as won_opportunity_count
    from opportunities
    inner join account_months
        on
            opportunities.company_id = account_months.company_id
            and opportunities.close_month_start_date = account_months.month_start_date
    where
        opportunities.is_closed
        and opportunities.opportunity_type in ({{ sql_values_list(var('abm_win_rate_opportunity_types')) }})
    group by
        account_months.tier_code,
        account_months.month_start_date
),

joined as (
    select
        tier_month_scaffold.tier_code,
        tier_month_scaffold.tier_number,
        tier_month_scaffold.month_start_date,
        tier_month_scaffold.is_complete,
        coalesce(tier_accounts.account_count, 0) as account_count,
        coalesce(tier_accounts.new_account_count, 0) as new_account_count,
        coalesce(tier_accounts.moved_up_account_count, 0) as moved_up_account_count,
        coalesce(tier_accounts.moved_down_account_count, 0) as moved_down_account_count,
        tier_accounts.average_total_score,
        coalesce(tier_mqls.mql_count, 0) as mql_count,
        coalesce(tier_mqls.mature_mql_count, 0) as mature_mql_count,
        coalesce(tier_mqls.mql_with_opportunity_count, 0) as mql_with_opportunity_count,
        coalesce(tier_closed_opportunities.closed_opportunity_count, 0) as closed_opportunity_count,
        coalesce(tier_closed_opportunities.won_opportunity_count, 0) as won_opportunity_count,
        coalesce(tier_accounts.open_pipeline_amount_jpy, 0) as open_pipeline_amount_jpy,
        coalesce(tier_accounts.weighted_pipeline_amount_jpy, 0) as weighted_pipeline_amount_jpy,
        coalesce(tier_accounts.won_amount_jpy, 0) as won_amount_jpy,
        coalesce(tier_accounts.contracts_due_count, 0) as contracts_due_count,
        coalesce(tier_accounts.contracts_renewed_count, 0) as contracts_renewed_count
    from tier_month_scaffold
    left join tier_accounts
        on
            tier_month_scaffold.tier_code = tier_accounts.tier_code
            and tier_month_scaffold.month_start_date = tier_accounts.month_start_date
    left join tier_mqls
        on
            tier_month_scaffold.tier_code = tier_mqls.tier_code
            and tier_month_scaffold.month_start_date = tier_mqls.month_start_date
    left join tier_closed_opportunities
        on
            tier_month_scaffold.tier_code = tier_closed_opportunities.tier_code
            and tier_month_scaffold.month_start_date = tier_closed_opportunities.month_start_date
),

final as (
    select
        tier_code,
        cast(tier_number as {{ dbt.type_int() }}) as tier_number,
        month_start_date,
        is_complete,
        cast(account_count as {{ dbt.type_bigint() }}) as account_count,
        cast(new_account_count as {{ dbt.type_bigint() }}) as new_account_count,
        cast(moved_up_account_count as {{ dbt.type_bigint() }}) as moved_up_account_count,
        cast(moved_down_account_count as {{ dbt.type_bigint() }}) as moved_down_account_count,
        cast(average_total_score as {{ kpi_type_double() }}) as average_total_score,
        cast(mql_count as {{ dbt.type_bigint() }}) as mql_count,
        cast(mature_mql_count as {{ dbt.type_bigint() }}) as mature_mql_count,
        cast(mql_with_opportunity_count as {{ dbt.type_bigint() }}) as mql_with_opportunity_count,
        {{ kpi_safe_divide('mql_with_opportunity_count', 'mature_mql_count') }} as mql_to_opportunity_rate,
        cast(closed_opportunity_count as {{ dbt.type_bigint() }}) as closed_opportunity_count,
        cast(won_opportunity_count as {{ dbt.type_bigint() }}) as won_opportunity_count,
        {{ kpi_safe_divide('won_opportunity_count', 'closed_opportunity_count') }} as win_rate,
        cast(open_pipeline_amount_jpy as decimal(18, 2)) as open_pipeline_amount_jpy,
        cast(weighted_pipeline_amount_jpy as decimal(18, 2)) as weighted_pipeline_amount_jpy,
        cast(won_amount_jpy as decimal(18, 2)) as won_amount_jpy,
        cast(contracts_due_count as {{ dbt.type_bigint() }}) as contracts_due_count,
        cast(contracts_renewed_count as {{ dbt.type_bigint() }}) as contracts_renewed_count,
        {{ kpi_safe_divide('contracts_renewed_count', 'contracts_due_count') }} as renewal_rate
    from joined
)

select * from final
