{#- Text → date, accepting 2026-01-07, 2026/01/07 and full-width digits; null when unreadable. -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'common_kpi')(expression)) }}
{%- endmacro %}

{% macro default__parse_date(expression) -%}
    {{ dbt.safe_cast("replace(" ~ normalize_text(expression) ~ ", '/', '-')", api.Column.translate_type('date')) }}
{%- endmacro %}

{#- DuckDB: an ISO date as it is skips the width folding (see duckdb__parse_timestamp). -#}
{% macro duckdb__parse_date(expression) -%}
    case
        when try_strptime({{ expression }}, '%Y-%m-%d') is not null
            then cast(try_strptime({{ expression }}, '%Y-%m-%d') as date)
        else cast(coalesce(
            try_strptime({{ normalize_text(expression) }}, ['%Y-%m-%d', '%Y/%m/%d', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S']),
            try_cast({{ normalize_text(expression) }} as timestamp)
        ) as date)
    end
{%- endmacro %}

{#- PostgreSQL: a date in either form, or the date of a timestamp; a bare number is no date. -#}
{% macro postgres__parse_date(expression) -%}
    case
        when {{ normalize_text(expression) }} ~ '^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$'
            then {{ engine_try_cast("replace(" ~ normalize_text(expression) ~ ", 'T', ' ')", 'date') }}
    end
{%- endmacro %}

{#- Spark: both forms, then the date of a timestamp. -#}
{% macro spark__parse_date(expression) -%}
    coalesce(
        try_to_date({{ normalize_text(expression) }}, 'yyyy-M-d'),
        try_to_date({{ normalize_text(expression) }}, 'yyyy/M/d'),
        cast(try_cast({{ normalize_text(expression) }} as timestamp) as date)
    )
{%- endmacro %}
