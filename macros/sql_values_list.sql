{#- A list of strings from YAML config as a SQL value list: ['a', "b'c"] → 'a', 'b''c'. -#}
{% macro sql_values_list(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}
