-- KSF1 新規顧客獲得 (new customer acquisition) at KPI x month grain: monthly MQLs (マーケ),
-- MQL→opportunity rate (IS, by MQL cohort), win rate (営業) and lead-handoff SLA compliance
-- (IS), each judged against its kpi_tree.yml target (see macro kpi_scored_ctes).
with

lead_funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

sla_responses as (
    select * from {{ ref('fct_sla_responses') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
    where mart_name = 'kpi_new_customers_monthly'
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

-- The MQL population of each basis (kpi_tree.yml `basis` of the two MQL KPIs):
--   ma_handoff  people whose first lead record came from MA (lead_origin = 'ma'): the MQLs
--               marketing handed off (the article's MQL, default)
--   all_leads   also the leads created directly in SFA (seminar lists, referral, outbound,
--               partner), which become MQLs only when converted (mql_at inferred from the SQL)
mql_bases as (
    select 'ma_handoff' as basis
    union all
    select 'all_leads' as basis
),

-- Each person's first MQL (mql_at, JST) and whether a new-business opportunity followed within
-- the window: fct_lead_funnel holds one row per person, so a count is a count of people.
mql_cohorts as (
    select
        mql_bases.basis,
        lead_funnel.mql_month_start_date as month_start_date,
        count(*) as mql_count,
        count(case when lead_funnel.has_opportunity_within_window then 1 end) as converted_count
    from lead_funnel
    inner join mql_bases
        on mql_bases.basis = 'all_leads' or lead_funnel.lead_origin = 'ma'
    where lead_funnel.mql_at is not null
    group by
        mql_bases.basis,
        lead_funnel.mql_month_start_date
),

closed_new_business as (
    select
        close_month_start_date as month_start_date,
        count(case when is_won then 1 end) as won_count,
        count(*) as closed_count
    from opportunities
    where
        opportunity_type = 'new_business'
        and is_closed
    group by close_month_start_date
),

-- MQLs whose response is due by the month of the MQL, on each SLA clock (kpi_tree.yml
-- `basis` of lead_handoff_sla_rate; fct_sla_responses keeps every clock's verdict).
{%- set sla_clocks = ['business_days', 'business_hours', 'calendar'] %}
sla_due_responses as (
    {%- for clock in sla_clocks %}
        select
            '{{ clock }}' as basis,
            cast({{ dbt.date_trunc('month', 'mql_at') }} as date) as month_start_date,
            count(case when is_sla_met_{{ clock }} then 1 end) as met_count,
            count(*) as due_count
        from sla_responses
        where is_sla_due_{{ clock }}
        group by cast({{ dbt.date_trunc('month', 'mql_at') }} as date)
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

sla_bases as (
    {%- for clock in sla_clocks %}
        select '{{ clock }}' as basis
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- A cohort month is mature once its last MQL has had the whole window by the as-of date.
cohort_maturity as (
    select
        months.month_start_date,
        {{ dbt.dateadd('day', 'kpi_settings.mql_to_opportunity_window_days', 'months.month_end_date') }}
        <= reporting_period.as_of_date as is_cohort_mature
    from months
    cross join kpi_settings
    cross join reporting_period
),

measures as (
    select
        'monthly_mql_count' as kpi_id,
        mql_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(mql_cohorts.mql_count, 0) as numerator,
        cast(null as bigint) as denominator,
        1 as value_scale,
        months.is_complete as is_mature
    from months
    cross join mql_bases
    left join mql_cohorts
        on
            months.month_start_date = mql_cohorts.month_start_date
            and mql_bases.basis = mql_cohorts.basis

    union all

    select
        'mql_to_opportunity_rate' as kpi_id,
        mql_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(mql_cohorts.converted_count, 0) as numerator,
        coalesce(mql_cohorts.mql_count, 0) as denominator,
        1 as value_scale,
        cohort_maturity.is_cohort_mature as is_mature
    from months
    cross join mql_bases
    inner join cohort_maturity
        on months.month_start_date = cohort_maturity.month_start_date
    left join mql_cohorts
        on
            months.month_start_date = mql_cohorts.month_start_date
            and mql_bases.basis = mql_cohorts.basis

    union all

    select
        'win_rate' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(closed_new_business.won_count, 0) as numerator,
        coalesce(closed_new_business.closed_count, 0) as denominator,
        1 as value_scale,
        months.is_complete as is_mature
    from months
    left join closed_new_business
        on months.month_start_date = closed_new_business.month_start_date

    union all

    select
        'lead_handoff_sla_rate' as kpi_id,
        sla_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(sla_due_responses.met_count, 0) as numerator,
        coalesce(sla_due_responses.due_count, 0) as denominator,
        1 as value_scale,
        months.is_complete as is_mature
    from months
    cross join sla_bases
    left join sla_due_responses
        on
            months.month_start_date = sla_due_responses.month_start_date
            and sla_bases.basis = sla_due_responses.basis
),

measures_rolled_up as (
    {{ kpi_additive_rollups('measures') }}
),

{{ kpi_scored_ctes('measures_rolled_up', 'kpi_nodes', 'kpi_settings', 'months') }},

final as (
    select
        kpi_id,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        fiscal_month_number,
        kpi_name_ja,
        kpi_name_en,
        owner_department,
        owner_department_ja,
        unit,
        judged_period,
        direction,
        severity,
        basis,
        basis_label_ja,
        basis_label_en,
        numerator,
        denominator,
        actual,
        qtd_actual,
        fytd_actual,
        trailing_3_month_actual,
        judged_actual,
        judged_numerator,
        judged_denominator,
        judged_month_count,
        target_value,
        target,  -- noqa: RF04
        achievement_rate,
        gap,
        status,
        is_mature,
        is_latest_judged
    from kpi_scored
)

select * from final
