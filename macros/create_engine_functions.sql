{#-
  Run on every dbt invocation (on-run-start). On PostgreSQL it makes the try-cast functions
  behind engine_try_cast in the target schema: a cast inside an exception block, so that one
  unreadable raw value gives null (and a quarantine reason) instead of failing the build. An
  instant (timestamptz) is read as UTC when it has no offset and returned as UTC without zone.
  It also makes the domain `double` (= double precision) in schema public: the marts'
  contracts name DuckDB's `double`, which PostgreSQL otherwise does not know.
  Nothing to do on DuckDB and Spark, which have try_cast and `double`.
-#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'common_kpi')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_engine_functions() -%}
    {%- set casts = {
        'ck_try_timestamptz': ('timestamp', "cast(value as timestamptz) at time zone 'UTC'", "set timezone = 'UTC'"),
        'ck_try_timestamp': ('timestamp', 'cast(value as timestamp)', ''),
        'ck_try_date': ('date', 'cast(value as date)', ''),
        'ck_try_integer': ('integer', 'cast(round(cast(value as numeric)) as integer)', ''),
        'ck_try_bigint': ('bigint', 'cast(round(cast(value as numeric)) as bigint)', ''),
        'ck_try_numeric': ('numeric', 'cast(value as numeric)', ''),
    } -%}
    create schema if not exists {{ target.schema }};
    do $domain$
    begin
        if not exists (select 1 from pg_type where typname = 'double' and typnamespace = 'public'::regnamespace) then
            create domain public.double as double precision;
        end if;
    end
    $domain$;
    {%- for function_name, (return_type, cast_sql, setting) in casts.items() %}
    drop function if exists {{ target.schema }}.{{ function_name }}(text) cascade;
    create function {{ target.schema }}.{{ function_name }}(value text) returns {{ return_type }}
    language plpgsql immutable parallel unsafe {{ setting }} as $function$
    begin
        return {{ cast_sql }};
    exception when others then
        return null;
    end
    $function$;
    {%- endfor %}
{%- endmacro %}
