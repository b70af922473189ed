{#- A UTC timestamp as wall-clock time in the reporting time zone (JST), without a zone. -#}
{% macro to_jst(utc_timestamp) -%}
    {{ return(adapter.dispatch('to_jst', 'common_kpi')(utc_timestamp)) }}
{%- endmacro %}

{% macro default__to_jst(utc_timestamp) -%}
    cast(from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__to_jst(utc_timestamp) -%}
    timezone('{{ var("reporting_timezone") }}', cast({{ utc_timestamp }} as timestamptz))
{%- endmacro %}

{% macro trino__to_jst(utc_timestamp) -%}
    cast(at_timezone(with_timezone({{ utc_timestamp }}, 'UTC'), '{{ var("reporting_timezone") }}') as timestamp)
{%- endmacro %}

{#- PostgreSQL: a timestamp without zone read as UTC, then shown as wall-clock time in JST. -#}
{% macro postgres__to_jst(utc_timestamp) -%}
    (cast({{ utc_timestamp }} as timestamp) at time zone 'UTC' at time zone '{{ var("reporting_timezone") }}')
{%- endmacro %}
