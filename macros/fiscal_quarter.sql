{#- Fiscal quarter 1-4 of a date, counted from the fiscal year's first month. -#}
{% macro fiscal_quarter(date_expression) -%}
    (floor(((extract(month from {{ date_expression }}) - {{ var('fiscal_year_start_month') }} + 12) % 12) / 3) + 1)
{%- endmacro %}
