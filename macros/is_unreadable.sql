{#-
  True when a raw text value carries something (not null, not blank) that its parser could
  not read (the parsed expression is null): the test behind every 'unparseable ...'
  quarantine reason. An empty value is not unreadable, it is missing.
-#}
{% macro is_unreadable(raw_expression, parsed_expression) -%}
    (nullif(trim(cast({{ raw_expression }} as {{ dbt.type_string() }})), '') is not null and {{ parsed_expression }} is null)
{%- endmacro %}
