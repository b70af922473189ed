{#-
  Every match of `pattern` in `expression` replaced by `replacement`. DuckDB and PostgreSQL
  replace only the first match unless given the 'g' flag; Spark's regexp_replace takes no
  flags (its fourth argument is a position) and always replaces every match. The pattern is
  written once, in the syntax the three share (character classes, \s, anchors).
-#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'common_kpi')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}
