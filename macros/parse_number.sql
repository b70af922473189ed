{#-
  Text → number: width folded, thousands separators, ¥ and 円 removed; null when unreadable.
  DuckDB gets its own implementation because dbt.safe_cast is a plain cast there, which
  fails the whole query on one unreadable value instead of returning null.
-#}
{% macro parse_number(expression, data_type='numeric(18, 2)') -%}
    {{ return(adapter.dispatch('parse_number', 'common_kpi')(expression, data_type)) }}
{%- endmacro %}

{% macro default__parse_number(expression, data_type) -%}
    {{ dbt.safe_cast(
        "nullif(regexp_replace(" ~ normalize_text(expression) ~ ", '[,¥￥円\\s]', '', 'g'), '')",
        data_type
    ) }}
{%- endmacro %}

{% macro duckdb__parse_number(expression, data_type) -%}
    try_cast(nullif(regexp_replace({{ normalize_text(expression) }}, '[,¥￥円\s]', '', 'g'), '') as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL: the same as DuckDB, with engine_try_cast (PostgreSQL has no try_cast). -#}
{% macro postgres__parse_number(expression, data_type) -%}
    {{ engine_try_cast("nullif(regexp_replace(" ~ normalize_text(expression) ~ ", '[,¥￥円\\s]', '', 'g'), '')", data_type) }}
{%- endmacro %}

{#- Spark: regexp_replace has no flags argument and always replaces every match. -#}
{% macro spark__parse_number(expression, data_type) -%}
    try_cast(nullif(regexp_replace({{ normalize_text(expression) }}, '[,¥￥円\\s]', ''), '') as {{ data_type }})
{%- endmacro %}
