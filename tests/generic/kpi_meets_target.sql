{#-
    Fails when a KPI misses its target in its latest judged period: the row of the KPI mart
    flagged is_latest_judged (the latest complete month, or for a cohort KPI such as the
    MQL→opportunity rate the latest mature cohort) has status at_risk, missed or no_data, or
    the KPI has no judged row at all. The failing row is logged at execution time with the
    KPI's name, period, actual and target, so that the build output says what was missed.
    kpi-compile declares one such test per KGI / KPI, with the node's severity.
-#}
{% test kpi_meets_target(model, kpi_id) %}

{%- set failing_sql -%}
with

kpi_rows as (
    select * from {{ model }}
    where kpi_id = '{{ kpi_id }}'
),

judged as (
    select * from kpi_rows
    where is_latest_judged
),

misses as (
    select
        kpi_id,
        kpi_name_ja,
        kpi_name_en,
        owner_department_ja,
        month_start_date,
        judged_period,
        unit,
        judged_actual,
        target,
        achievement_rate,
        status
    from judged
    where status <> 'achieved'
),

no_judged_period as (
    select
        '{{ kpi_id }}' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as kpi_name_ja,
        cast(null as {{ dbt.type_string() }}) as kpi_name_en,
        cast(null as {{ dbt.type_string() }}) as owner_department_ja,
        cast(null as date) as month_start_date,
        cast(null as {{ dbt.type_string() }}) as judged_period,
        cast(null as {{ dbt.type_string() }}) as unit,
        cast(null as {{ kpi_type_double() }}) as judged_actual,
        cast(null as {{ kpi_type_double() }}) as target,
        cast(null as {{ kpi_type_double() }}) as achievement_rate,
        'no_judged_period' as status
    where not exists (select 1 from judged)
),

final as (
    select * from misses
    union all
    select * from no_judged_period
)

select * from final
{%- endset -%}

{%- if execute and load_relation(model) is not none -%}
    {%- set result = run_query(failing_sql) -%}
    {%- for row in result.rows -%}
        {%- if row['status'] == 'no_judged_period' -%}
            {%- do log('KPI ' ~ kpi_id ~ ' on ' ~ model.identifier ~ ': no judged period (no mature month yet)', info=true) -%}
        {%- else -%}
            {%- set period = row['month_start_date'] ~ (' (month)' if row['judged_period'] == 'month' else ' (' ~ row['judged_period'] ~ ' to date)') -%}
            {%- do log(
                'KPI ' ~ row['kpi_name_ja'] ~ ' (' ~ row['kpi_name_en'] ~ ') [' ~ row['kpi_id'] ~ '], owner '
                ~ row['owner_department_ja'] ~ ', period ' ~ period
                ~ ': actual ' ~ kpi_format_value(row['judged_actual'], row['unit'])
                ~ ' vs target ' ~ kpi_format_value(row['target'], row['unit'])
                ~ ', achievement ' ~ kpi_format_value(row['achievement_rate'], 'rate') ~ ' -> ' ~ row['status'],
                info=true
            ) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

{{ failing_sql }}

{% endtest %}
