{#-
  Spark reads the raw files the way a lakehouse holds them: every <system>/<table>.csv (or
  .parquet) under var raw_data_path / $COMMON_KPI_RAW_PATH is registered as an external table
  <system>.<table> over that file (all columns text for CSV), on every run, so a new drop of
  files is read as it is. Skipped when var register_raw_tables is false (a cluster whose
  connector already writes the raw schemas). Nothing to do on DuckDB (sources read the files
  through external_location) nor on PostgreSQL (`common-kpi postgres load` copies them in).
-#}
{% macro register_raw_tables() -%}
    {{ return(adapter.dispatch('register_raw_tables', 'common_kpi')()) }}
{%- endmacro %}

{% macro default__register_raw_tables() -%}
    select 1
{%- endmacro %}

{% macro spark__register_raw_tables() -%}
    {%- if execute and var('register_raw_tables', true) -%}
        {%- set raw_path = var('raw_data_path', env_var('COMMON_KPI_RAW_PATH', 'data/raw/demo')) -%}
        {%- set raw_format = var('raw_format', env_var('COMMON_KPI_RAW_FORMAT', 'csv')) -%}
        {%- set registered = [] -%}
        {%- for source_node in graph.sources.values() -%}
            {#- a source whose DuckDB location names its own format (the ground truth: CSV at
            every scale) is read in that format -#}
            {%- set duckdb_location = (source_node.meta or {}).get('external_location', '') -%}
            {%- set table_format = 'csv' if 'read_csv(' in duckdb_location
                else ('parquet' if 'read_parquet(' in duckdb_location else raw_format) -%}
            {%- set location = raw_path ~ '/' ~ source_node.source_name ~ '/' ~ source_node.name ~ '.' ~ table_format -%}
            {%- do run_query('create database if not exists ' ~ source_node.schema) -%}
            {%- do run_query('drop table if exists ' ~ source_node.schema ~ '.' ~ source_node.identifier) -%}
            {%- if table_format == 'csv' -%}
                {%- do run_query(
                    'create table ' ~ source_node.schema ~ '.' ~ source_node.identifier
                    ~ " using csv options (path '" ~ location ~ "', header 'true', multiLine 'true', escape '\"')"
                ) -%}
            {%- else -%}
                {%- do run_query(
                    'create table ' ~ source_node.schema ~ '.' ~ source_node.identifier
                    ~ " using parquet options (path '" ~ location ~ "')"
                ) -%}
            {%- endif -%}
            {%- do registered.append(source_node.schema ~ '.' ~ source_node.identifier) -%}
        {%- endfor -%}
        {{ log('register_raw_tables: ' ~ registered | length ~ ' raw tables over ' ~ raw_path, info=true) }}
    {%- endif -%}
    select 1
{%- endmacro %}
