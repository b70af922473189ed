{#-
  Text → `data_type`, null (never an error) when the text cannot be read: DuckDB's and Spark's
  try_cast. PostgreSQL has none, so on PostgreSQL it calls the function that
  create_engine_functions makes on every run (a cast inside an exception block).
  data_type is one of: timestamptz (an instant, returned as UTC without zone), timestamp,
  date, integer, bigint, numeric / decimal with any precision and scale.
  Text with decimals read as a whole number is rounded (half away from zero), as DuckDB's
  try_cast does ('6.5' → 7): PostgreSQL and Spark would refuse it, so there the text is read
  as a number first and then rounded.
-#}
{% macro engine_try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('engine_try_cast', 'common_kpi')(expression, data_type)) }}
{%- endmacro %}

{% macro default__engine_try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro postgres__engine_try_cast(expression, data_type) -%}
    {%- set type_name = data_type | lower | replace(' ', '') -%}
    {%- set text_sql = "cast(" ~ expression ~ " as text)" -%}
    {%- if type_name.startswith('numeric') or type_name.startswith('decimal') -%}
        cast({{ target.schema }}.ck_try_numeric({{ text_sql }}) as {{ data_type }})
    {%- elif type_name in ('integer', 'int', 'int4') -%}
        {{ target.schema }}.ck_try_integer({{ text_sql }})
    {%- elif type_name in ('bigint', 'int8') -%}
        {{ target.schema }}.ck_try_bigint({{ text_sql }})
    {%- elif type_name in ('timestamptz', 'timestamp', 'date') -%}
        {{ target.schema }}.ck_try_{{ type_name }}({{ text_sql }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("engine_try_cast: no PostgreSQL try-cast for " ~ data_type) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__engine_try_cast(expression, data_type) -%}
    {%- if data_type | lower | replace(' ', '') in ('integer', 'int', 'bigint') -%}
        try_cast(round(try_cast({{ expression }} as decimal(38, 6))) as {{ data_type }})
    {%- else -%}
        try_cast({{ expression }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
