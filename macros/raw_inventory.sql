{#-
  What the raw tables hold, as dbt reads them on the current target (files on DuckDB, the
  connector's schemas on a warehouse), printed as one JSON line for `common-kpi check-raw`:
      dbt run-operation raw_inventory --args '{value_columns: {"salesforce.lead": ["Status"]}}'
  Per raw table of the compiled mapping: the relation read, its columns and row count (or
  that the table is not in the schema), and for the raw columns asked for in value_columns, the 50 most
  common values with their counts. The onboarding report is computed from this in Python by the
  same rules as macros/raw_source.sql.
-#}
{% macro raw_inventory(value_columns={}) -%}
    {%- set inventory = {} -%}
    {%- for table_key, spec in source_mapping()['tables'].items() -%}
        {%- set source_name, table_name = table_key.split('.') -%}
        {%- set relation = raw_source_relation(source(source_name, table_name), source_name, table_name, spec['identifier']) -%}
        {%- set entry = {'relation': relation | string, 'columns': [], 'row_count': none, 'values': {}, 'error': none} -%}
        {%- set is_file = (relation | string).startswith('read_') -%}
        {%- if not is_file and adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) is none -%}
            {%- do entry.update({'error': 'table ' ~ relation ~ ' not found (check the ' ~ source_name ~ '_schema var and the table name)'}) -%}
        {%- else -%}
            {%- do entry.update({'columns': run_query('select * from ' ~ relation ~ ' where 1 = 0').column_names | list}) -%}
            {%- do entry.update({'row_count': run_query('select count(*) from ' ~ relation).rows[0][0] | int}) -%}
            {%- for raw_column in value_columns.get(table_key, []) if raw_column in entry['columns'] -%}
                {%- set quoted = adapter.quote(raw_column) -%}
                {%- set values = run_query(
                    'select trim(cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ')) as raw_value, count(*) as row_count from '
                    ~ relation ~ ' where nullif(trim(cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ')), \'\') is not null'
                    ~ ' group by 1 order by 2 desc, 1 limit 50'
                ) -%}
                {%- set rows = [] -%}
                {%- for row in values.rows -%}
                    {%- do rows.append([row[0], row[1] | int]) -%}
                {%- endfor -%}
                {%- do entry['values'].update({raw_column: rows}) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do inventory.update({table_key: entry}) -%}
    {%- endfor -%}
    {{ print('RAW_INVENTORY ' ~ tojson(inventory)) }}
{%- endmacro %}
