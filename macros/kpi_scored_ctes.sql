{#-
    The judging steps every KPI mart shares, emitted as six CTEs (kpi_scaffold, kpi_values,
    kpi_targets, kpi_pro_rata, kpi_achievement, kpi_scored) so that all marts judge a KPI the same way:

    kpi_scaffold  every node of `kpi_nodes` x every month of `months` (GitLab style: a KPI with
                  no measure, or a month with no target, stays visible as a row), with the
                  node's definition choice (`basis`, kpi_tree.yml): `measures` may hold a row
                  per basis of a KPI and only the chosen one is read
    kpi_values    the measure of the month (`measures`: the columns of kpi_additive_rollups
                  plus value_scale) turned into actual / qtd / fytd / trailing-3-month values: a count or
                  yen KPI is its numerator (its trailing value the average per mature month), a
                  ratio is numerator x value_scale / denominator (null when the denominator is 0)
    kpi_targets   judged_actual = the value of the KPI's judged period to date (month, fiscal
                  quarter or fiscal year); target = the kpi_tree.yml target when the month is in
                  the target's fiscal year (with judged_numerator / judged_denominator and
                  judged_month_count, the months the judged value covers)
    kpi_pro_rata  the target pro-rated by the months elapsed in the judged period when the
                  KPI accumulates over it
    kpi_achievement  achievement_rate (judged_actual / target, or 2 - judged_actual / target
                  when lower is better, null without actual or target) and gap (positive =
                  ahead of target)
    kpi_scored    status (immature while the
                  month or cohort is not mature, no_data without actual or target, else achieved
                  / at_risk / missed against the kpi_tree.yml thresholds) and is_latest_judged
                  (the latest mature month of the KPI: what the tests, the tree and the alerts
                  judge)
-#}
{% macro kpi_scored_ctes(measures, kpi_nodes, kpi_settings, months) -%}
kpi_scaffold as (
    select
        {{ kpi_nodes }}.node_id as kpi_id,
        {{ kpi_nodes }}.name_ja as kpi_name_ja,
        {{ kpi_nodes }}.name_en as kpi_name_en,
        {{ kpi_nodes }}.owner_department,
        {{ kpi_nodes }}.owner_department_ja,
        {{ kpi_nodes }}.unit,
        {{ kpi_nodes }}.judged_period,
        {{ kpi_nodes }}.direction,
        {{ kpi_nodes }}.severity,
        {{ kpi_nodes }}.accumulates_over_period,
        {{ kpi_nodes }}.target_value as configured_target_value,
        {{ kpi_nodes }}.target_fiscal_year,
        {{ kpi_nodes }}.basis,
        {{ kpi_nodes }}.basis_label_ja,
        {{ kpi_nodes }}.basis_label_en,
        {{ months }}.month_start_date,
        {{ months }}.fiscal_year,
        {{ months }}.fiscal_quarter,
        {{ months }}.fiscal_month_number,
        {{ months }}.is_complete
    from {{ kpi_nodes }}
    cross join {{ months }}
),

kpi_values as (
    select
        kpi_scaffold.*,
        cast({{ measures }}.numerator as {{ kpi_type_double() }}) as numerator,
        cast({{ measures }}.denominator as {{ kpi_type_double() }}) as denominator,
        cast({{ measures }}.qtd_numerator as {{ kpi_type_double() }}) as qtd_numerator,
        cast({{ measures }}.qtd_denominator as {{ kpi_type_double() }}) as qtd_denominator,
        cast({{ measures }}.fytd_numerator as {{ kpi_type_double() }}) as fytd_numerator,
        cast({{ measures }}.fytd_denominator as {{ kpi_type_double() }}) as fytd_denominator,
        coalesce({{ measures }}.is_mature, kpi_scaffold.is_complete) as is_mature,
        case
            when kpi_scaffold.unit in ('count', 'jpy') then cast({{ measures }}.numerator as {{ kpi_type_double() }})
            else {{ kpi_safe_divide(measures ~ '.numerator * ' ~ measures ~ '.value_scale', measures ~ '.denominator') }}
        end as actual,
        case
            when kpi_scaffold.unit in ('count', 'jpy') then cast({{ measures }}.qtd_numerator as {{ kpi_type_double() }})
            else {{ kpi_safe_divide(measures ~ '.qtd_numerator * ' ~ measures ~ '.value_scale', measures ~ '.qtd_denominator') }}
        end as qtd_actual,
        case
            when kpi_scaffold.unit in ('count', 'jpy') then cast({{ measures }}.fytd_numerator as {{ kpi_type_double() }})
            else {{ kpi_safe_divide(measures ~ '.fytd_numerator * ' ~ measures ~ '.value_scale', measures ~ '.fytd_denominator') }}
        end as fytd_actual,
        case
            when kpi_scaffold.unit in ('count', 'jpy')
                then {{ kpi_safe_divide(measures ~ '.trailing_3_month_numerator', measures ~ '.trailing_3_month_count') }}
            else {{ kpi_safe_divide(
                measures ~ '.trailing_3_month_numerator * ' ~ measures ~ '.value_scale',
                measures ~ '.trailing_3_month_denominator'
            ) }}
        end as trailing_3_month_actual
    from kpi_scaffold
    left join {{ measures }}
        on
            kpi_scaffold.kpi_id = {{ measures }}.kpi_id
            and coalesce(kpi_scaffold.basis, '') = coalesce({{ measures }}.basis, '')
            and kpi_scaffold.month_start_date = {{ measures }}.month_start_date
),

kpi_targets as (
    select
        kpi_values.*,
        case kpi_values.judged_period
            when 'month' then kpi_values.actual
            when 'fiscal_quarter' then kpi_values.qtd_actual
            when 'fiscal_year' then kpi_values.fytd_actual
        end as judged_actual,
        case kpi_values.judged_period
            when 'month' then kpi_values.numerator
            when 'fiscal_quarter' then kpi_values.qtd_numerator
            when 'fiscal_year' then kpi_values.fytd_numerator
        end as judged_numerator,
        case kpi_values.judged_period
            when 'month' then kpi_values.denominator
            when 'fiscal_quarter' then kpi_values.qtd_denominator
            when 'fiscal_year' then kpi_values.fytd_denominator
        end as judged_denominator,
        -- Months of the judged period up to and including this one (a fiscal quarter has 3).
        case kpi_values.judged_period
            when 'month' then 1
            when 'fiscal_quarter' then mod(kpi_values.fiscal_month_number - 1, 3) + 1
            when 'fiscal_year' then kpi_values.fiscal_month_number
        end as judged_month_count,
        case
            when kpi_values.fiscal_year = kpi_values.target_fiscal_year
                then cast(kpi_values.configured_target_value as {{ kpi_type_double() }})
        end as target_value
    from kpi_values
),

kpi_pro_rata as (
    select
        kpi_targets.*,
        -- Pro-rating: months elapsed in the judged period over the months it has (a fiscal
        -- quarter has 3 months, a fiscal year 12); a month is judged as a whole. In double
        -- precision: Spark reads 12.0 as a decimal and keeps 6 decimals of 7 / 12.0.
        case
            when not kpi_targets.accumulates_over_period or kpi_targets.judged_period = 'month'
                then cast(1 as {{ kpi_type_double() }})
            when kpi_targets.judged_period = 'fiscal_quarter'
                then cast(kpi_targets.judged_month_count as {{ kpi_type_double() }}) / 3
            when kpi_targets.judged_period = 'fiscal_year'
                then cast(kpi_targets.judged_month_count as {{ kpi_type_double() }}) / 12
        end as target_pro_rata_rate
    from kpi_targets
),

kpi_achievement as (
    select
        kpi_pro_rata.*,
        kpi_pro_rata.target_value * kpi_pro_rata.target_pro_rata_rate as target,
        case
            when kpi_pro_rata.direction = 'lower_is_better'
                then 2 - {{ kpi_safe_divide('kpi_pro_rata.judged_actual', 'kpi_pro_rata.target_value * kpi_pro_rata.target_pro_rata_rate') }}
            else {{ kpi_safe_divide('kpi_pro_rata.judged_actual', 'kpi_pro_rata.target_value * kpi_pro_rata.target_pro_rata_rate') }}
        end as achievement_rate,
        case
            when kpi_pro_rata.direction = 'lower_is_better'
                then kpi_pro_rata.target_value * kpi_pro_rata.target_pro_rata_rate - kpi_pro_rata.judged_actual
            else kpi_pro_rata.judged_actual - kpi_pro_rata.target_value * kpi_pro_rata.target_pro_rata_rate
        end as gap
    from kpi_pro_rata
),

kpi_scored as (
    select
        kpi_achievement.*,
        case
            when not kpi_achievement.is_mature then 'immature'
            when kpi_achievement.achievement_rate is null then 'no_data'
            when kpi_achievement.achievement_rate >= {{ kpi_settings }}.achieved_threshold_rate then 'achieved'
            when kpi_achievement.achievement_rate >= {{ kpi_settings }}.at_risk_threshold_rate then 'at_risk'
            else 'missed'
        end as status,
        kpi_achievement.month_start_date = max(
            case when kpi_achievement.is_mature then kpi_achievement.month_start_date end
        ) over (partition by kpi_achievement.kpi_id) as is_latest_judged
    from kpi_achievement
    cross join {{ kpi_settings }}
)
{%- endmacro %}
