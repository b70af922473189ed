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

{#-
  DuckDB: a value the cast reads as it is (a connector's ISO 8601, the bulk of every table)
  skips the width folding; `case`, not coalesce, because only `case` leaves the other
  branch unevaluated for those rows (7x faster on 2.9 M email event timestamps).
-#}
{% macro duckdb__parse_timestamp(expression) -%}
    case
        when try_cast({{ expression }} as timestamptz) is not null
            then cast(try_cast({{ expression }} as timestamptz) as timestamp)
        else coalesce(
            cast(try_cast({{ normalize_text(expression) }} as timestamptz) as timestamp),
            try_strptime({{ normalize_text(expression) }}, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d'])
        )
    end
{%- endmacro %}

{#-
  PostgreSQL: an ISO 8601 instant (its offset applied, no offset = UTC) or the slash forms
  (PostgreSQL reads 2026/01/07 09:00 itself); a bare number is not a timestamp.
-#}
{% macro postgres__parse_timestamp(expression) -%}
    case
        when {{ normalize_text(expression) }} ~ '^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?( ?(Z|[+-][0-9]{2}(:?[0-9]{2})?))?$'
            then {{ engine_try_cast(normalize_text(expression), 'timestamptz') }}
    end
{%- endmacro %}

{#- Spark: ISO 8601 through the cast (session time zone UTC), then the slash forms. -#}
{% macro spark__parse_timestamp(expression) -%}
    coalesce(
        try_cast({{ normalize_text(expression) }} as timestamp),
        try_to_timestamp({{ normalize_text(expression) }}, 'yyyy/M/d H:m:s'),
        try_to_timestamp({{ normalize_text(expression) }}, 'yyyy/M/d H:m'),
        try_to_timestamp({{ normalize_text(expression) }}, 'yyyy/M/d')
    )
{%- endmacro %}
