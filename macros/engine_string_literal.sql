{#-
  A SQL string literal holding `value`, whatever characters it has. The standard way doubles
  an apostrophe ('it''s'); Spark reads '' inside a literal as the end of one literal and the
  start of the next, which it concatenates, so the apostrophe is lost (a translate() table
  written that way shifted by one character after ＇ and turned （株） into '株( on Spark). On
  Spark the apostrophes are joined in with chr(39) instead.
-#}
{% macro engine_string_literal(value) -%}
    {{ return(adapter.dispatch('engine_string_literal', 'common_kpi')(value)) }}
{%- endmacro %}

{% macro default__engine_string_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__engine_string_literal(value) -%}
    {%- if "'" in value -%}
        ({%- for piece in value.split("'") -%}
            '{{ piece }}'{% if not loop.last %} || chr(39) || {% endif %}
        {%- endfor -%})
    {%- else -%}
        '{{ value }}'
    {%- endif -%}
{%- endmacro %}
