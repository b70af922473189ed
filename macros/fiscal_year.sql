{#- Fiscal year of a date, named after the calendar year it starts in (April 2026-March 2027 = 2026). -#}
{% macro fiscal_year(date_expression) -%}
    (extract(year from {{ date_expression }}) - case
        when extract(month from {{ date_expression }}) < {{ var('fiscal_year_start_month') }} then 1
        else 0
    end)
{%- endmacro %}
