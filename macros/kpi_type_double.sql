{#- The double-precision type of the KPI marts (rates, yen, targets): ANSI `double precision`. -#}
{% macro kpi_type_double() -%}
    {{ return(adapter.dispatch('kpi_type_double')()) }}
{%- endmacro %}

{% macro default__kpi_type_double() -%}
    double precision
{%- endmacro %}

{#- Spark has no `double precision`: its 8-byte float is `double`. -#}
{% macro spark__kpi_type_double() -%}
    double
{%- endmacro %}
