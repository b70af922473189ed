{#-
  A boolean SQL expression written in the YAML of a test, in the SQL that DuckDB and
  PostgreSQL share, made runnable on the current engine. Spark has no `similar to`:
  `x similar to 'pattern'` (a whole-value match) becomes `x rlike '^(?:pattern)$'`.
-#}
{% macro engine_expression(expression) -%}
    {{ return(adapter.dispatch('engine_expression', 'common_kpi')(expression)) }}
{%- endmacro %}

{% macro default__engine_expression(expression) -%}
    {{ return(expression) }}
{%- endmacro %}

{% macro spark__engine_expression(expression) -%}
    {{ return(modules.re.sub("similar to '([^']*)'", "rlike '^(?:\\1)$'", expression)) }}
{%- endmacro %}
