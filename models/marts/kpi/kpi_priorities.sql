-- 改善優先順位 / KPI priorities: the KPIs of the latest complete period ranked by the yearly KGI
-- revenue that closing each gap is worth (as in the article: 商談化率 20% against 30% is the
-- top priority). Each KPI is taken at its judged value in kpi_tree (latest mature month).
-- - Funnel (multiplicative): new bookings per month = MQLs x MQL→opportunity rate x win rate x
--   average won new-business deal. Closing one KPI's gap = the same product with that KPI at
--   its target; worth (bookings at target - bookings now) x 12 months.
-- - Retention: (target - actual) x the MRR of the contracts due in the judged month x 12 months.
-- - Upsell / cross-sell (judged fiscal-year-to-date): (target - actual) x customers active at
--   the start of the judged period = customers short so far, x 12 / months the judged value
--   covers for a full year, x the average won upsell / cross-sell deal.
-- - KPIs without a direct revenue link (lead-handoff SLA, NPS) are not quantified
--   (annual_revenue_impact_jpy null) and rank after the quantified ones, by achievement.
-- A KPI at or above target is worth 0. Average deals: won deals closed in the kpi_tree.yml
-- settings.priority_deal_lookback_months months up to the latest complete month.
with

kpi_tree as (
    select * from {{ ref('kpi_tree') }}
),

retention as (
    select * from {{ ref('kpi_retention_monthly') }}
),

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

latest_kpis as (
    select *
    from kpi_tree
    where
        is_latest_complete_period
        and node_level = 'kpi'
),

-- Value of a KPI once its gap is closed (at least its actual, at least its target).
kpi_at_target as (
    select
        node_id,
        actual,
        case
            when direction = 'lower_is_better' then least(actual, target)
            else greatest(actual, target)
        end as actual_at_target
    from latest_kpis
),

won_deals as (
    select
        opportunities.opportunity_type,
        avg(opportunities.amount_jpy) as average_won_amount_jpy
    from opportunities
    cross join reporting_period
    cross join kpi_settings
    where
        opportunities.is_won
        and opportunities.close_month_start_date <= reporting_period.latest_complete_month_start_date
        and opportunities.close_month_start_date > cast({{ dbt.dateadd(
            'month',
            '-kpi_settings.priority_deal_lookback_months',
            'reporting_period.latest_complete_month_start_date'
        ) }} as date)
    group by opportunities.opportunity_type
),

-- The funnel inputs side by side: MQLs of the month, conversion, win rate, average deal.
funnel as (
    select
        mql_kpi.actual as mql_count,
        mql_kpi.actual_at_target as mql_count_at_target,
        conversion_kpi.actual as conversion_rate,
        conversion_kpi.actual_at_target as conversion_rate_at_target,
        win_kpi.actual as win_rate,
        win_kpi.actual_at_target as win_rate_at_target,
        new_deals.average_won_amount_jpy as average_new_deal_jpy
    from kpi_at_target as mql_kpi
    cross join kpi_at_target as conversion_kpi
    cross join kpi_at_target as win_kpi
    left join won_deals as new_deals
        on new_deals.opportunity_type = 'new_business'
    where
        mql_kpi.node_id = 'monthly_mql_count'
        and conversion_kpi.node_id = 'mql_to_opportunity_rate'
        and win_kpi.node_id = 'win_rate'
),

funnel_bookings as (
    select
        mql_count * conversion_rate * win_rate * average_new_deal_jpy as monthly_new_bookings_jpy,
        mql_count_at_target * conversion_rate * win_rate * average_new_deal_jpy
            as bookings_with_mql_count_at_target_jpy,
        mql_count * conversion_rate_at_target * win_rate * average_new_deal_jpy
            as bookings_with_conversion_rate_at_target_jpy,
        mql_count * conversion_rate * win_rate_at_target * average_new_deal_jpy
            as bookings_with_win_rate_at_target_jpy
    from funnel
),

funnel_impacts as (
    select
        'monthly_mql_count' as node_id,
        (bookings_with_mql_count_at_target_jpy - monthly_new_bookings_jpy) * 12 as annual_revenue_impact_jpy
    from funnel_bookings
    union all
    select
        'mql_to_opportunity_rate' as node_id,
        (bookings_with_conversion_rate_at_target_jpy - monthly_new_bookings_jpy) * 12 as annual_revenue_impact_jpy
    from funnel_bookings
    union all
    select
        'win_rate' as node_id,
        (bookings_with_win_rate_at_target_jpy - monthly_new_bookings_jpy) * 12 as annual_revenue_impact_jpy
    from funnel_bookings
),

retention_impact as (
    select
        latest_kpis.node_id,
        greatest(latest_kpis.target - latest_kpis.actual, 0) * retention.due_mrr_jpy * 12
            as annual_revenue_impact_jpy
    from latest_kpis
    inner join retention
        on
            latest_kpis.node_id = retention.kpi_id
            and latest_kpis.evaluated_month_start_date = retention.month_start_date
    where latest_kpis.node_id = 'retention_rate'
),

expansion_impacts as (
    select
        latest_kpis.node_id,
        greatest(latest_kpis.target - latest_kpis.actual, 0)
        * scored.judged_denominator
        * 12 / scored.judged_month_count
        * won_deals.average_won_amount_jpy as annual_revenue_impact_jpy
    from latest_kpis
    inner join scored
        on
            latest_kpis.node_id = scored.kpi_id
            and latest_kpis.evaluated_month_start_date = scored.month_start_date
    left join won_deals
        on
            won_deals.opportunity_type
            = case latest_kpis.node_id when 'upsell_rate' then 'upsell' when 'cross_sell_rate' then 'cross_sell' end
    where latest_kpis.node_id in ('upsell_rate', 'cross_sell_rate')
),

impacts as (
    select
        node_id,
        'funnel_multiplicative' as impact_method,
        annual_revenue_impact_jpy
    from funnel_impacts
    union all
    select
        node_id,
        'retained_revenue' as impact_method,
        annual_revenue_impact_jpy
    from retention_impact
    union all
    select
        node_id,
        'expansion_revenue' as impact_method,
        annual_revenue_impact_jpy
    from expansion_impacts
),

-- A quantified KPI on or ahead of target (gap >= 0) is worth 0, even when an input of its
-- formula (e.g. the average deal) is missing.
valued as (
    select
        latest_kpis.*,
        coalesce(impacts.impact_method, 'not_quantified') as impact_method,
        case
            when impacts.node_id is not null and latest_kpis.gap >= 0 then 0
            else impacts.annual_revenue_impact_jpy
        end as annual_revenue_impact_jpy
    from latest_kpis
    left join impacts
        on latest_kpis.node_id = impacts.node_id
),

ranked as (
    select
        valued.*,
        -- bigint as the contract says (Spark's row_number is an int)
        cast(row_number() over (
            order by
                case when valued.annual_revenue_impact_jpy is null then 1 else 0 end,
                valued.annual_revenue_impact_jpy desc,
                case when valued.achievement_rate is null then 1 else 0 end,
                valued.achievement_rate asc,
                valued.sort_order asc
        ) as bigint) as priority_rank
    from valued
),

final as (
    select
        node_id as kpi_id,
        priority_rank,
        name_ja as kpi_name_ja,
        name_en as kpi_name_en,
        parent_node_id,
        owner_department,
        owner_department_ja,
        unit,
        evaluated_month_start_date,
        actual,
        target,  -- noqa: RF04
        achievement_rate,
        gap,
        status,
        severity,
        impact_method,
        -- whole yen: the worth is an estimate from whole-yen inputs, rounded once here
        cast({{ engine_round("annual_revenue_impact_jpy", 0) }} as {{ kpi_type_double() }}) as annual_revenue_impact_jpy
    from ranked
)

select * from final
