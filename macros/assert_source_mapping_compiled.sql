{#-
  on-run-start: stop when source_mapping.yml was edited after it was compiled into
  macros/generated/source_mapping.sql, with the command that fixes it. DuckDB reads the file
  itself; on an engine that cannot read the project's files, CI runs
  `common-kpi mapping-compile --check` instead (and `common-kpi build` always compiles first).
-#}
{% macro assert_source_mapping_compiled() -%}
    {{ return(adapter.dispatch('assert_source_mapping_compiled', 'common_kpi')()) }}
{%- endmacro %}

{% macro default__assert_source_mapping_compiled() -%}
    {{ return('') }}
{%- endmacro %}

{% macro duckdb__assert_source_mapping_compiled() -%}
    {%- if execute -%}
        {%- set is_found = run_query("select count(*) from glob('source_mapping.yml')").rows[0][0] > 0 -%}
        {%- set file_md5 = run_query("select md5(content) from read_text('source_mapping.yml')").rows[0][0] if is_found else none -%}
        {%- if is_found and file_md5 != source_mapping()['mapping_file_md5'] -%}
            {{ exceptions.raise_compiler_error(
                "source_mapping.yml changed since it was compiled into macros/generated/source_mapping.sql: "
                ~ "run `common-kpi mapping-compile` (or `make build`), then dbt again"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
