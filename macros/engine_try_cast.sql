{#-
  Text → `data_type`, null (never an error) when the text cannot be read: DuckDB's and Spark's
  try_cast. PostgreSQL has none, so on PostgreSQL it calls the function that
  create_engine_functions makes on every run (a cast inside an exception block).
  data_type is one of: timestamptz (an instant, returned as UTC without zone), timestamp,
  date, integer, numeric(18, 2).
-#}
{% macro engine_try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('engine_try_cast', 'common_kpi')(expression, data_type)) }}
{%- endmacro %}

{% macro default__engine_try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro postgres__engine_try_cast(expression, data_type) -%}
    {%- set function_names = {
        'timestamptz': 'ck_try_timestamptz', 'timestamp': 'ck_try_timestamp', 'date': 'ck_try_date',
        'integer': 'ck_try_integer', 'numeric(18, 2)': 'ck_try_numeric',
    } -%}
    {%- if data_type not in function_names -%}
        {{ exceptions.raise_compiler_error("engine_try_cast: no PostgreSQL try-cast for " ~ data_type) }}
    {%- endif -%}
    {{ target.schema }}.{{ function_names[data_type] }}(cast({{ expression }} as text))
{%- endmacro %}
