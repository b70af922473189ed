-- KPIツリー / The KPI tree for every complete month: every KGI, KSF and KPI node with its
-- parent, owner, actual, target, achievement and status.
-- - A KGI or KPI shows its judged value as of the period: the row of its latest mature month
--   at or before the period (evaluated_month_start_date). For most nodes that is the period
--   itself; for the MQL→opportunity rate it is the latest mature cohort, and for retention
--   the latest month whose renewal grace period has passed.
-- - The revenue KGI shows its other source beside it (kgi_monthly: value and gap).
-- - A KSF is rolled up from its KPIs: actual = achieved KPIs / judged KPIs (KPIs with status
--   achieved, at_risk or missed; immature and no_data KPIs are not judged), judged against the
--   KSF's target (the share of its KPIs that must be achieved, kpi_tree.yml) with the same
--   status thresholds as every node; immature when none of its KPIs is judged yet but one is
--   immature, no_data when none has data.
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
),

kgi as (
    select * from {{ ref('kgi_monthly') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

measured_rows as (
    select
        kpi_id,
        month_start_date,
        judged_actual,
        target,  -- noqa: RF04
        achievement_rate,
        gap,
        status,
        is_mature
    from scored
),

periods as (
    select
        months.month_start_date,
        months.fiscal_year,
        months.month_start_date = reporting_period.latest_complete_month_start_date as is_latest_complete_period
    from months
    cross join reporting_period
    where months.month_start_date <= reporting_period.latest_complete_month_start_date
),

-- For each node and period, the latest mature month at or before the period.
evaluated_months as (
    select
        measured_rows.kpi_id,
        measured_rows.month_start_date,
        max(case when measured_rows.is_mature then measured_rows.month_start_date end) over (
            partition by measured_rows.kpi_id
            order by measured_rows.month_start_date
            rows between unbounded preceding and current row
        ) as evaluated_month_start_date
    from measured_rows
),

measured_nodes as (
    select
        evaluated_months.kpi_id as node_id,
        periods.month_start_date,
        periods.fiscal_year,
        periods.is_latest_complete_period,
        evaluated_months.evaluated_month_start_date,
        evaluated.judged_actual as actual,
        evaluated.target,
        evaluated.achievement_rate,
        evaluated.gap,
        coalesce(evaluated.status, current_month.status) as status,
        cast(null as integer) as judged_kpi_count,
        cast(null as integer) as achieved_kpi_count
    from periods
    inner join evaluated_months
        on periods.month_start_date = evaluated_months.month_start_date
    inner join measured_rows as current_month
        on
            evaluated_months.kpi_id = current_month.kpi_id
            and evaluated_months.month_start_date = current_month.month_start_date
    left join measured_rows as evaluated
        on
            evaluated_months.kpi_id = evaluated.kpi_id
            and evaluated_months.evaluated_month_start_date = evaluated.month_start_date
),

ksf_children as (
    select
        kpi_nodes.parent_node_id as node_id,
        measured_nodes.month_start_date,
        measured_nodes.fiscal_year,
        measured_nodes.is_latest_complete_period,
        measured_nodes.status
    from measured_nodes
    inner join kpi_nodes
        on measured_nodes.node_id = kpi_nodes.node_id
    where kpi_nodes.node_level = 'kpi'
),

ksf_counts as (
    select
        node_id,
        month_start_date,
        fiscal_year,
        is_latest_complete_period,
        count(case when status in ('achieved', 'at_risk', 'missed') then 1 end) as judged_kpi_count,
        count(case when status = 'achieved' then 1 end) as achieved_kpi_count,
        count(case when status = 'immature' then 1 end) as immature_kpi_count
    from ksf_children
    group by
        node_id,
        month_start_date,
        fiscal_year,
        is_latest_complete_period
),

ksf_achievement as (
    select
        ksf_counts.*,
        {{ kpi_safe_divide('ksf_counts.achieved_kpi_count', 'ksf_counts.judged_kpi_count') }} as actual,
        case
            when ksf_counts.fiscal_year = kpi_nodes.target_fiscal_year then kpi_nodes.target_value
        end as target  -- noqa: RF04
    from ksf_counts
    inner join kpi_nodes
        on ksf_counts.node_id = kpi_nodes.node_id
),

ksf_nodes as (
    select
        ksf_achievement.node_id,
        ksf_achievement.month_start_date,
        ksf_achievement.fiscal_year,
        ksf_achievement.is_latest_complete_period,
        ksf_achievement.month_start_date as evaluated_month_start_date,
        ksf_achievement.actual,
        ksf_achievement.target,
        {{ kpi_safe_divide('ksf_achievement.actual', 'ksf_achievement.target') }} as achievement_rate,
        ksf_achievement.actual - ksf_achievement.target as gap,
        case
            when ksf_achievement.judged_kpi_count = 0 and ksf_achievement.immature_kpi_count > 0 then 'immature'
            when {{ kpi_safe_divide('ksf_achievement.actual', 'ksf_achievement.target') }} is null then 'no_data'
            when
                {{ kpi_safe_divide('ksf_achievement.actual', 'ksf_achievement.target') }}
                >= kpi_settings.achieved_threshold_rate
                then 'achieved'
            when
                {{ kpi_safe_divide('ksf_achievement.actual', 'ksf_achievement.target') }}
                >= kpi_settings.at_risk_threshold_rate
                then 'at_risk'
            else 'missed'
        end as status,
        ksf_achievement.judged_kpi_count,
        ksf_achievement.achieved_kpi_count
    from ksf_achievement
    cross join kpi_settings
),

all_nodes as (
    select * from measured_nodes
    union all
    select * from ksf_nodes
),

final as (
    select
        all_nodes.node_id,
        all_nodes.month_start_date,
        all_nodes.fiscal_year,
        kpi_nodes.node_level,
        kpi_nodes.parent_node_id,
        kpi_nodes.depth,
        kpi_nodes.sort_order,
        kpi_nodes.name_ja,
        kpi_nodes.name_en,
        kpi_nodes.owner_department,
        kpi_nodes.owner_department_ja,
        kpi_nodes.unit,
        kpi_nodes.judged_period,
        kpi_nodes.direction,
        kpi_nodes.severity,
        kpi_nodes.basis,
        kpi_nodes.basis_label_ja,
        kpi_nodes.basis_label_en,
        all_nodes.evaluated_month_start_date,
        cast(all_nodes.actual as {{ kpi_type_double() }}) as actual,
        cast(all_nodes.target as {{ kpi_type_double() }}) as target,  -- noqa: RF04
        cast(all_nodes.achievement_rate as {{ kpi_type_double() }}) as achievement_rate,
        cast(all_nodes.gap as {{ kpi_type_double() }}) as gap,
        all_nodes.status,
        all_nodes.judged_kpi_count,
        all_nodes.achieved_kpi_count,
        all_nodes.is_latest_complete_period,
        kgi.other_source_basis,
        cast(kgi.other_source_judged_actual as {{ kpi_type_double() }}) as other_source_judged_actual,
        cast(kgi.source_gap_jpy as {{ kpi_type_double() }}) as source_gap_jpy,
        cast(kgi.source_gap_rate as {{ kpi_type_double() }}) as source_gap_rate
    from all_nodes
    inner join kpi_nodes
        on all_nodes.node_id = kpi_nodes.node_id
    -- the revenue KGI's other source and the gap, at the month the node is judged on
    left join kgi
        on
            all_nodes.node_id = kgi.kpi_id
            and all_nodes.evaluated_month_start_date = kgi.month_start_date
            and kgi.other_source_basis is not null
)

select * from final
