{#-
  A unit-test fixture for a raw table, for `format: sql` inputs: one select per row with
  every contract column of the table as text, null where the row does not give a value.
  dbt cannot read the columns of a file-backed DuckDB source for a dict fixture, so source
  inputs use this instead:
      given:
        - input: source('salesforce', 'lead')
          format: sql
          rows: "{{ raw_fixture('salesforce', 'lead', [{'id': '00Q1', 'status': 'Open'}]) }}"
  A key that is not a column of the table fails compilation, so a typo cannot pass silently.
-#}
{% macro raw_fixture(source_name, table_name, rows) -%}
    {%- set columns = raw_table_columns(source_name, table_name) -%}
    {%- for row in rows -%}
        {%- for key in row if key not in columns -%}
            {{ exceptions.raise_compiler_error(
                "raw_fixture: " ~ key ~ " is not a column of " ~ source_name ~ "." ~ table_name
            ) }}
        {%- endfor %}
    select
        {%- for column_name in columns %}
        {% if row.get(column_name) is not none -%}
            cast('{{ row[column_name] | replace("'", "''") }}' as {{ dbt.type_string() }})
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ adapter.quote(column_name) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
