{#-
  dbt-spark's listagg ignores the order (with a warning) and gives '' when every value is
  null, where DuckDB and PostgreSQL give the values in order and null. This one sorts the
  collected values ascending, which is the order this project asks for everywhere (each
  call orders by the aggregated value itself, or by the key it is made of), and gives null
  when nothing was collected. A descending order fails compilation instead of being
  silently ignored.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause and (order_by_clause | lower | trim).endswith(' desc') -%}
        {{ exceptions.raise_compiler_error("spark__listagg: only ascending orders are supported: " ~ order_by_clause) }}
    {%- endif -%}
    {%- set collected = "collect_list(" ~ measure ~ ")" -%}
    {%- if order_by_clause -%}
        {%- set collected = "array_sort(" ~ collected ~ ")" -%}
    {%- endif -%}
    {%- if limit_num -%}
        {%- set collected = "slice(" ~ collected ~ ", 1, " ~ limit_num ~ ")" -%}
    {%- endif -%}
    case when count({{ measure }}) > 0 then array_join({{ collected }}, {{ delimiter_text }}) end
{%- endmacro %}
