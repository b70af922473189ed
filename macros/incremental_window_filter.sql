{#-
  Boolean SQL: is `date_expression` inside the window an incremental run rebuilds
  (incremental_window_start)? Always true on a full build. Rows without a date are always
  rebuilt, so that they are neither lost nor doubled.
-#}
{% macro incremental_window_filter(date_expression) -%}
    {%- set start_date = incremental_window_start() -%}
    {%- if start_date is none -%}
        1 = 1
    {%- else -%}
        ({{ date_expression }} >= {{ start_date }} or {{ date_expression }} is null)
    {%- endif -%}
{%- endmacro %}
