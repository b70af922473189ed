{#-
    Period-to-date and trailing-3-month sums of a KPI measure whose numerator and denominator
    add up across months (counts, yen, won / closed, met / due). Expects `measures` with one row
    per kpi_id x basis x month (contiguous months, built on dim_months) and the columns kpi_id, basis,
    month_start_date, fiscal_year, fiscal_quarter, numerator, denominator, is_mature.
    Only mature months are added up, so an open month or an immature cohort never drags a
    period-to-date value down; trailing_3_month_count counts the mature months in the window
    (a count KPI's trailing value is the average per month).
-#}
{% macro kpi_additive_rollups(measures) -%}
    select
        {{ measures }}.*,
        sum(case when {{ measures }}.is_mature then {{ measures }}.numerator end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis, {{ measures }}.fiscal_year, {{ measures }}.fiscal_quarter
            order by {{ measures }}.month_start_date
            rows between unbounded preceding and current row
        ) as qtd_numerator,
        sum(case when {{ measures }}.is_mature then {{ measures }}.denominator end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis, {{ measures }}.fiscal_year, {{ measures }}.fiscal_quarter
            order by {{ measures }}.month_start_date
            rows between unbounded preceding and current row
        ) as qtd_denominator,
        sum(case when {{ measures }}.is_mature then {{ measures }}.numerator end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis, {{ measures }}.fiscal_year
            order by {{ measures }}.month_start_date
            rows between unbounded preceding and current row
        ) as fytd_numerator,
        sum(case when {{ measures }}.is_mature then {{ measures }}.denominator end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis, {{ measures }}.fiscal_year
            order by {{ measures }}.month_start_date
            rows between unbounded preceding and current row
        ) as fytd_denominator,
        sum(case when {{ measures }}.is_mature then {{ measures }}.numerator end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis
            order by {{ measures }}.month_start_date
            rows between 2 preceding and current row
        ) as trailing_3_month_numerator,
        sum(case when {{ measures }}.is_mature then {{ measures }}.denominator end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis
            order by {{ measures }}.month_start_date
            rows between 2 preceding and current row
        ) as trailing_3_month_denominator,
        count(case when {{ measures }}.is_mature then 1 end) over (
            partition by {{ measures }}.kpi_id, {{ measures }}.basis
            order by {{ measures }}.month_start_date
            rows between 2 preceding and current row
        ) as trailing_3_month_count
    from {{ measures }}
{%- endmacro %}
