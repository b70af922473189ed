{#-
  dbt's PostgreSQL datediff, as a bigint: DuckDB's date_diff (and Spark's) give a bigint, while
  PostgreSQL's date subtraction gives an integer and date_part a double, which breaks the
  marts' contracts (days_* are bigint) and the cross-engine comparison. The arithmetic is
  dbt-postgres's own (the parts this project uses: day, month, year, hour, minute, second).
-#}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'year' -%}
        cast(date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date) as bigint)
    {%- elif datepart == 'month' -%}
        cast(
            (date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date)) * 12
            + date_part('month', ({{ second_date }})::date) - date_part('month', ({{ first_date }})::date)
            as bigint
        )
    {%- elif datepart == 'day' -%}
        cast((({{ second_date }})::date - ({{ first_date }})::date) as bigint)
    {%- elif datepart == 'hour' -%}
        ({{ datediff(first_date, second_date, 'day') }} * 24
            + cast(date_part('hour', ({{ second_date }})::timestamp) - date_part('hour', ({{ first_date }})::timestamp) as bigint))
    {%- elif datepart == 'minute' -%}
        ({{ datediff(first_date, second_date, 'hour') }} * 60
            + cast(date_part('minute', ({{ second_date }})::timestamp) - date_part('minute', ({{ first_date }})::timestamp) as bigint))
    {%- elif datepart == 'second' -%}
        ({{ datediff(first_date, second_date, 'minute') }} * 60
            + cast(floor(date_part('second', ({{ second_date }})::timestamp)) - floor(date_part('second', ({{ first_date }})::timestamp)) as bigint))
    {%- else -%}
        {{ exceptions.raise_compiler_error("postgres__datediff: unsupported datepart " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}
