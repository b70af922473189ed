{#- A KPI value as text for log messages: a rate as a percentage, yen with separators. -#}
{% macro kpi_format_value(value, unit) -%}
    {%- if value is none -%}
        {{ return('n/a') }}
    {%- elif unit == 'rate' -%}
        {{ return('{:.1f}%'.format(value * 100)) }}
    {%- elif unit == 'jpy' -%}
        {{ return('¥{:,.0f}'.format(value)) }}
    {%- else -%}
        {{ return('{:,.1f}'.format(value)) }}
    {%- endif -%}
{%- endmacro %}
