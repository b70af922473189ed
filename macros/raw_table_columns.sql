{#-
  The columns of a raw table in contract order (models/staging/*/_*__sources.yml), as compiled
  into source_mapping(); for the places where dbt's graph is not at hand, such as unit-test
  fixtures and the portable raw-row JSON.
-#}
{% macro raw_table_columns(source_name, table_name) -%}
    {%- set key = source_name ~ '.' ~ table_name -%}
    {%- set tables = source_mapping()['tables'] -%}
    {%- if key not in tables -%}
        {{ exceptions.raise_compiler_error("raw_table_columns: unknown raw table " ~ key) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in tables[key]['columns'] -%}
        {%- do columns.append(column['name']) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
