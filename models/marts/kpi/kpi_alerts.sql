-- KPIアラート / The KGIs and KPIs that missed their target in the latest complete period (at
-- their judged value in kpi_tree: status at_risk or missed; a KPI without data is データなし
-- on the tree, never an alert: nobody missed anything), with owner, gap,
-- severity and, for KPIs, the priority rank and the yearly revenue the gap is worth. This is
-- what `common-kpi alerts` prints and posts; the per-KPI dbt tests fail on the same rows.
with

kpi_tree as (
    select * from {{ ref('kpi_tree') }}
),

kpi_priorities as (
    select * from {{ ref('kpi_priorities') }}
),

missed_nodes as (
    select *
    from kpi_tree
    where
        is_latest_complete_period
        and node_level in ('kgi', 'kpi')
        and status in ('at_risk', 'missed')
),

final as (
    select
        missed_nodes.node_id as kpi_id,
        missed_nodes.node_level,
        missed_nodes.name_ja as kpi_name_ja,
        missed_nodes.name_en as kpi_name_en,
        missed_nodes.parent_node_id,
        missed_nodes.owner_department,
        missed_nodes.owner_department_ja,
        missed_nodes.unit,
        missed_nodes.judged_period,
        missed_nodes.month_start_date as period_month_start_date,
        missed_nodes.evaluated_month_start_date,
        missed_nodes.actual,
        missed_nodes.target,  -- noqa: RF04
        missed_nodes.achievement_rate,
        missed_nodes.gap,
        missed_nodes.status,
        missed_nodes.severity,
        kpi_priorities.priority_rank,
        kpi_priorities.annual_revenue_impact_jpy,
        missed_nodes.sort_order
    from missed_nodes
    left join kpi_priorities
        on missed_nodes.node_id = kpi_priorities.kpi_id
)

select * from final
