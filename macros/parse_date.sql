{#- Text → date, accepting 2026-01-07, 2026/01/07 and full-width digits; null when unreadable. -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'common_kpi')(expression)) }}
{%- endmacro %}

{% macro default__parse_date(expression) -%}
    {{ dbt.safe_cast("replace(" ~ normalize_text(expression) ~ ", '/', '-')", api.Column.translate_type('date')) }}
{%- endmacro %}

{% macro duckdb__parse_date(expression) -%}
    cast(coalesce(
        try_strptime({{ normalize_text(expression) }}, ['%Y-%m-%d', '%Y/%m/%d', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S']),
        try_cast({{ normalize_text(expression) }} as timestamp)
    ) as date)
{%- endmacro %}
