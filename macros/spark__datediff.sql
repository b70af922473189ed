{#-
  Spark: datediff as DuckDB counts it (the number of day / month / ... boundaries between the
  two values) and as a bigint, the type of the marts' contracts (dbt-spark's gives an int and,
  for months, a fraction-based count). Session time zone UTC (profile), so epoch seconds
  are the wall-clock values.
-#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        cast(datediff(cast({{ second_date }} as date), cast({{ first_date }} as date)) as bigint)
    {%- elif datepart == 'month' -%}
        cast(
            (year({{ second_date }}) - year({{ first_date }})) * 12 + month({{ second_date }}) - month({{ first_date }})
            as bigint
        )
    {%- elif datepart == 'year' -%}
        cast(year({{ second_date }}) - year({{ first_date }}) as bigint)
    {%- elif datepart in ('hour', 'minute', 'second') -%}
        {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1}[datepart] -%}
        cast(
            floor(unix_timestamp(cast({{ second_date }} as timestamp)) / {{ seconds }})
            - floor(unix_timestamp(cast({{ first_date }} as timestamp)) / {{ seconds }})
            as bigint
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error("spark__datediff: unsupported datepart " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}
