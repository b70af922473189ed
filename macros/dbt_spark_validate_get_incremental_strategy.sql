{#-
  dbt-spark accepts only its own incremental strategies and refused the project's
  `window_replace` (the MA event-day models), so the ABM models never built on Spark. Here a
  build that creates the table (a first run, or --full-refresh, as `common-kpi engines` runs)
  accepts it: the table is created from the model's select, no incremental SQL runs. An
  incremental run on Spark stops with a message instead: window_replace deletes rows, which
  plain Parquet tables cannot, and it is not written for Delta yet. Every other strategy is
  validated by dbt-spark as before.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'window_replace' -%}
        {%- if not should_full_refresh() and load_relation(this) is not none -%}
            {{ exceptions.raise_compiler_error(
                "incremental strategy window_replace has no Spark implementation yet: build "
                ~ this ~ " with --full-refresh on Spark (docs/engines.md)"
            ) }}
        {%- endif -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{%- endmacro %}
