{#-
  Text as it comes out of an export → timestamp (UTC, no zone), or null when it cannot be
  read. Width is folded first (２０２６ → 2026), then ISO 8601 (with T/Z/offset) and the
  slash forms Japanese spreadsheets write (2026/01/07 09:00) are accepted.
-#}
{% macro parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'common_kpi')(expression)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expression) -%}
    {{ dbt.safe_cast(normalize_text(expression), api.Column.translate_type('timestamp')) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    coalesce(
        cast(try_cast({{ normalize_text(expression) }} as timestamptz) as timestamp),
        try_strptime({{ normalize_text(expression) }}, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d'])
    )
{%- endmacro %}
