{#-
  round(value, digits) on every engine: PostgreSQL rounds to digits only a numeric (there is
  no round(double precision, integer)), so there the value is made numeric first; DuckDB and
  Spark round a double directly (half away from zero, like numeric).
-#}
{% macro engine_round(expression, digits) -%}
    {{ return(adapter.dispatch('engine_round', 'common_kpi')(expression, digits)) }}
{%- endmacro %}

{% macro default__engine_round(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__engine_round(expression, digits) -%}
    round(cast({{ expression }} as numeric), {{ digits }})
{%- endmacro %}
