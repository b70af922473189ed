{#-
  The earliest date a business record of ours can carry (var plausible_earliest_date): an
  earlier one is a typing error (1900-01-01 placeholders, 0026 for 2026) and is quarantined
  as 'implausible date' instead of stretching every date spine back a century.
-#}
{% macro plausible_earliest_timestamp() -%}
    cast('{{ var("plausible_earliest_date") }} 00:00:00' as {{ dbt.type_timestamp() }})
{%- endmacro %}
