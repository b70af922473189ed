{#-
  The rows of a picklist's seed (seeds/<seed>.csv: the vendor's default values and ours, each
  with our code), plus the company's own values from source_mapping.yml `values:`, each taking
  the attributes of the first seed row with the code it is mapped to. Joined by staging on the
  raw value: a value in neither is unknown (labels become 'other'; stage-defining fields are
  quarantined and counted by the volume gate).
-#}
{% macro picklist_values(picklist_name) -%}
    {%- set spec = source_mapping()['picklists'][picklist_name] -%}
    {%- set seed_relation = ref(spec['seed']) -%}
    {%- set system_filter = spec['source_system_filter'] | replace("'", "''") %}
    select
        {%- for column in spec['seed_columns'] %}
        {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ seed_relation }}
    {%- if system_filter %}
    where source_system = '{{ system_filter }}'
    {%- endif %}
    {%- for alias in spec['aliases'] %}
    union all
    select
        {%- for column in spec['seed_columns'] %}
        {% if column == spec['value_column'] -%}
            cast('{{ alias[0] | replace("'", "''") }}' as {{ dbt.type_string() }})
        {%- else -%}
            first_row.{{ column }}
        {%- endif %} as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ seed_relation }} as first_row
    where first_row.{{ spec['code_column'] }} = '{{ alias[1] | replace("'", "''") }}'
        and first_row.{{ spec['value_column'] }} = (
            select min(same_code.{{ spec['value_column'] }})
            from {{ seed_relation }} as same_code
            where same_code.{{ spec['code_column'] }} = '{{ alias[1] | replace("'", "''") }}'
            {%- if system_filter %}
                and same_code.source_system = '{{ system_filter }}'
            {%- endif %}
        )
        {%- if system_filter %}
        and first_row.source_system = '{{ system_filter }}'
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
