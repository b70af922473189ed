{#- Connector booleans ('true'/'false', 't'/'f', '1'/'0') → boolean; null stays null. -#}
{% macro parse_boolean(expression) -%}
    case
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('true', 't', '1', 'yes') then true
        when lower(trim(cast({{ expression }} as {{ dbt.type_string() }}))) in ('false', 'f', '0', 'no') then false
    end
{%- endmacro %}
