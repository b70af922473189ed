-- Every KGI and KPI of kpi_tree.yml judged against its target, month by month: the one place a
-- KPI is scored. The measures (kpi_measures_monthly) on the node's definition choice (basis)
-- are joined onto a scaffold of every node x every month (GitLab style: a KPI without a
-- measure, or a month without a target, stays visible as a row), then
--   judged value   the value of the node's judged period to date (month, fiscal quarter or
--                  fiscal year), with its numerator, denominator and months covered
--   target         the kpi_tree.yml target when the month is in the target's fiscal year,
--                  pro-rated by the months elapsed in the judged period when the KPI
--                  accumulates over it (a fiscal quarter has 3 months, a fiscal year 12)
--   achievement    judged value / target (2 - judged value / target when lower is better),
--                  null without value or target; gap = judged value - target (sign flipped
--                  when lower is better: negative = behind target)
--   status         immature while the month or cohort is not mature, no_data without value
--                  or target (a zero denominator included: never 0 % missed), else achieved
--                  / at_risk / missed against the kpi_tree.yml thresholds
--   is_latest_judged  the latest mature month of the node: what the target tests, the tree
--                  and the alerts judge
-- The per-KSF marts (kpi_new_customers_monthly, ...) are this model's rows of their KSF.
with

measures as (
    select * from {{ ref('kpi_measures_monthly') }}
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

scaffold as (
    select
        kpi_nodes.node_id as kpi_id,
        kpi_nodes.node_level,
        kpi_nodes.parent_node_id,
        kpi_nodes.mart_name,
        kpi_nodes.name_ja as kpi_name_ja,
        kpi_nodes.name_en as kpi_name_en,
        kpi_nodes.owner_department,
        kpi_nodes.owner_department_ja,
        kpi_nodes.unit,
        kpi_nodes.judged_period,
        kpi_nodes.direction,
        kpi_nodes.severity,
        kpi_nodes.target_value as configured_target_value,
        kpi_nodes.target_fiscal_year,
        kpi_nodes.basis,
        kpi_nodes.basis_label_ja,
        kpi_nodes.basis_label_en,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        months.fiscal_month_number,
        months.is_complete
    from kpi_nodes
    cross join months
    where kpi_nodes.node_level in ('kgi', 'kpi')
),

valued as (
    select
        scaffold.*,
        measures.numerator,
        measures.denominator,
        measures.qtd_numerator,
        measures.qtd_denominator,
        measures.fytd_numerator,
        measures.fytd_denominator,
        measures.actual,
        measures.qtd_actual,
        measures.fytd_actual,
        measures.trailing_3_month_actual,
        measures.value_scale,
        coalesce(measures.accumulates_over_period, false) as accumulates_over_period,
        coalesce(measures.is_mature, scaffold.is_complete) as is_mature
    from scaffold
    left join measures
        on
            scaffold.kpi_id = measures.kpi_id
            and coalesce(scaffold.basis, '') = coalesce(measures.basis, '')
            and scaffold.month_start_date = measures.month_start_date
),

judged as (
    select
        valued.*,
        case valued.judged_period
            when 'month' then valued.actual
            when 'fiscal_quarter' then valued.qtd_actual
            when 'fiscal_year' then valued.fytd_actual
        end as judged_actual,
        case valued.judged_period
            when 'month' then valued.numerator
            when 'fiscal_quarter' then valued.qtd_numerator
            when 'fiscal_year' then valued.fytd_numerator
        end as judged_numerator,
        case valued.judged_period
            when 'month' then valued.denominator
            when 'fiscal_quarter' then valued.qtd_denominator
            when 'fiscal_year' then valued.fytd_denominator
        end as judged_denominator,
        -- Months of the judged period up to and including this one (a fiscal quarter has 3).
        case valued.judged_period
            when 'month' then 1
            when 'fiscal_quarter' then mod(valued.fiscal_month_number - 1, 3) + 1
            when 'fiscal_year' then valued.fiscal_month_number
        end as judged_month_count,
        case
            when valued.fiscal_year = valued.target_fiscal_year
                then cast(valued.configured_target_value as {{ kpi_type_double() }})
        end as target_value
    from valued
),

pro_rated as (
    select
        judged.*,
        judged.target_value * case
            when not judged.accumulates_over_period or judged.judged_period = 'month' then 1.0
            when judged.judged_period = 'fiscal_quarter' then judged.judged_month_count / 3.0
            when judged.judged_period = 'fiscal_year' then judged.judged_month_count / 12.0
        end as target  -- noqa: RF04
    from judged
),

achieved as (
    select
        pro_rated.*,
        case
            when pro_rated.direction = 'lower_is_better'
                then 2 - {{ kpi_safe_divide('pro_rated.judged_actual', 'pro_rated.target') }}
            else {{ kpi_safe_divide('pro_rated.judged_actual', 'pro_rated.target') }}
        end as achievement_rate,
        case
            when pro_rated.direction = 'lower_is_better' then pro_rated.target - pro_rated.judged_actual
            else pro_rated.judged_actual - pro_rated.target
        end as gap
    from pro_rated
),

scored as (
    select
        achieved.*,
        case
            when not achieved.is_mature then 'immature'
            when achieved.achievement_rate is null then 'no_data'
            when achieved.achievement_rate >= kpi_settings.achieved_threshold_rate then 'achieved'
            when achieved.achievement_rate >= kpi_settings.at_risk_threshold_rate then 'at_risk'
            else 'missed'
        end as status,
        achieved.month_start_date = max(
            case when achieved.is_mature then achieved.month_start_date end
        ) over (partition by achieved.kpi_id) as is_latest_judged
    from achieved
    cross join kpi_settings
),

final as (
    select
        kpi_id,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        fiscal_month_number,
        node_level,
        parent_node_id,
        mart_name,
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
        is_latest_judged,
        value_scale
    from scored
)

select * from final
