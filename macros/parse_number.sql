{#-
  Text → number: width folded, thousands separators, ¥ and 円 removed; null when unreadable.
  The value is cast with try_cast (engine_try_cast on PostgreSQL, which has none), so one
  unreadable value gives null instead of failing the whole query.
-#}
{% macro parse_number(expression, data_type='numeric(18, 2)') -%}
    {{ return(adapter.dispatch('parse_number', 'common_kpi')(expression, data_type)) }}
{%- endmacro %}

{#- try_cast where the engine has it (Spark, Trino, ...); engine_try_cast on PostgreSQL. -#}
{% macro default__parse_number(expression, data_type) -%}
    {{ engine_try_cast(
        "nullif(" ~ regexp_replace_all(normalize_text(expression), "'[,¥￥円\\s]'", "''") ~ ", '')",
        data_type
    ) }}
{%- endmacro %}

{#- DuckDB: a plain number skips the folding and the clean-up (see duckdb__parse_timestamp). -#}
{% macro duckdb__parse_number(expression, data_type) -%}
    case
        when try_cast({{ expression }} as {{ data_type }}) is not null
            then try_cast({{ expression }} as {{ data_type }})
        else try_cast(nullif(regexp_replace({{ normalize_text(expression) }}, '[,¥￥円\s]', '', 'g'), '') as {{ data_type }})
    end
{%- endmacro %}
