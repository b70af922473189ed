{#-
  dbt's accepted_values on Spark: a YAML boolean (values: [true]) is quoted into the string
  'True', which DuckDB and PostgreSQL read as a boolean but Spark refuses to compare with a
  boolean column. Here a boolean value is written as the boolean literal; the rest is dbt's test.
-#}
{% macro spark__test_accepted_values(model, column_name, values, quote=True) %}

with all_values as (

    select
        {{ column_name }} as value_field,
        count(*) as n_records

    from {{ model }}
    group by {{ column_name }}

)

select *
from all_values
where value_field not in (
    {% for value in values -%}
        {% if value is sameas true or value is sameas false -%}
        {{ value | string | lower }}
        {%- elif quote -%}
        '{{ value }}'
        {%- else -%}
        {{ value }}
        {%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)

{% endmacro %}
