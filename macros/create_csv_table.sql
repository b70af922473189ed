{#-
  Seeds declare their column types once (seeds/*.yml) in DuckDB's names: varchar and double.
  PostgreSQL has no `double` and Spark no `varchar` without a length, so before dbt creates
  and fills a seed table these names are turned into the engine's (dbt.type_string(),
  kpi_type_double()). Overrides dbt's create_csv_table / load_csv_rows by name and then calls
  the adapter's own implementation, so nothing else of the seed materialization changes.
-#}
{% macro engine_seed_column_types(model) -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- if target.type != 'duckdb' -%}
        {%- set portable_types = {'varchar': dbt.type_string(), 'double': kpi_type_double() | trim} -%}
        {%- for column_name, column_type in column_types.items() -%}
            {%- if column_type | lower in portable_types -%}
                {%- do column_types.update({column_name: portable_types[column_type | lower]}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro create_csv_table(model, agate_table) -%}
    {%- do engine_seed_column_types(model) -%}
    {{ return(adapter.dispatch('create_csv_table', 'dbt')(model, agate_table)) }}
{%- endmacro %}

{% macro load_csv_rows(model, agate_table) -%}
    {%- do engine_seed_column_types(model) -%}
    {{ return(adapter.dispatch('load_csv_rows', 'dbt')(model, agate_table)) }}
{%- endmacro %}
