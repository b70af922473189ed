{#- numerator / denominator as a double; null (never an error) when the denominator is 0 or null. -#}
{% macro kpi_safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ kpi_type_double() }}) / nullif(cast({{ denominator }} as {{ kpi_type_double() }}), 0))
{%- endmacro %}
