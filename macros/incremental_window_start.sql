{#-
  The first date an incremental run rebuilds (docs/performance.md, "Incremental models"):
  the latest date already in the model (its config incremental_window_column, over the rows
  that meet its config incremental_window_rows if it has one), or today if that is earlier,
  minus var incremental_lookback_days, as a SQL date literal; none on a full build or an
  empty model.
  Everything from that date on is deleted and rebuilt from staging, so rows that arrived
  late (dated up to the lookback before the latest date) and rows deleted at the source
  within it come out as a full refresh would give them. Called twice per run (by the
  model's filter and by the window_replace strategy), both times before the model changes,
  so both see the same date.
-#}
{% macro incremental_window_start() -%}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set column = config.get('incremental_window_column') -%}
    {%- if not column -%}
        {{ exceptions.raise_compiler_error(model.name ~ ": an incremental model here needs config incremental_window_column") }}
    {%- endif -%}
    {%- set rows_condition = config.get('incremental_window_rows') -%}
    {%- set latest_query = 'select max(' ~ column ~ ') from ' ~ this ~ (' where ' ~ rows_condition if rows_condition else '') -%}
    {%- set latest_date = run_query(latest_query).columns[0].values()[0] -%}
    {%- if latest_date is none -%}
        {{ return(none) }}
    {%- endif -%}
    {#- a date past the run's own day (a clock error at the source) never shrinks the window -#}
    {%- set latest_date = [modules.datetime.date.fromisoformat(latest_date | string | truncate(10, true, '')), modules.datetime.date.today()] | min -%}
    {%- set start_date = latest_date - modules.datetime.timedelta(days=var('incremental_lookback_days') | int) -%}
    {{ return("cast('" ~ start_date.isoformat() ~ "' as date)") }}
{%- endmacro %}
