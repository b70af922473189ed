{#-
  A raw row as JSON text ({"column": "value", ...}, null for a missing value), minus the
  columns in `exclude`. Keeps a quarantined row readable and gives a row something to hash.
  DuckDB turns the whole row of `relation_alias` into JSON (complete even when the connector
  added columns). The default builds the text with concat from the contract columns
  (raw_table_columns), escaping backslashes and double quotes itself.
-#}
{% macro raw_row_json(relation_alias, source_name, table_name, exclude=[]) -%}
    {{ return(adapter.dispatch('raw_row_json', 'common_kpi')(relation_alias, source_name, table_name, exclude)) }}
{%- endmacro %}

{% macro default__raw_row_json(relation_alias, source_name, table_name, exclude) -%}
    {%- set parts = ["'{'"] -%}
    {%- for column_name in raw_table_columns(source_name, table_name) if column_name not in exclude -%}
        {%- set value_sql = "cast(" ~ relation_alias ~ "." ~ adapter.quote(column_name) ~ " as " ~ dbt.type_string() ~ ")" -%}
        {%- set escaped_sql = "replace(replace(" ~ value_sql ~ ", '\\', '\\\\'), '\"', '\\\"')" -%}
        {%- do parts.append("'" ~ ("" if loop.first else ", ") ~ "\"" ~ column_name ~ "\": '") -%}
        {%- do parts.append("coalesce(" ~ dbt.concat(["'\"'", escaped_sql, "'\"'"]) ~ ", 'null')") -%}
    {%- endfor -%}
    {%- do parts.append("'}'") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{% macro duckdb__raw_row_json(relation_alias, source_name, table_name, exclude) -%}
    {%- if exclude | length > 0 -%}
        {#- a JSON merge patch with null values removes those keys (RFC 7396) -#}
        {%- set removed_keys = [] -%}
        {%- for column_name in exclude -%}
            {%- do removed_keys.append('"' ~ column_name ~ '": null') -%}
        {%- endfor -%}
        cast(json_merge_patch(to_json({{ relation_alias }}), '{{ "{" ~ removed_keys | join(", ") ~ "}" }}') as {{ dbt.type_string() }})
    {%- else -%}
        cast(to_json({{ relation_alias }}) as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#-
  Spark: to_json of a struct of the contract columns, nulls kept (Spark drops null fields by
  default). Spark's string literals cannot hold a lone backslash, so the default's escaping is
  not an option here.
-#}
{% macro spark__raw_row_json(relation_alias, source_name, table_name, exclude) -%}
    {%- set fields = [] -%}
    {%- for column_name in raw_table_columns(source_name, table_name) if column_name not in exclude -%}
        {%- do fields.append("'" ~ column_name ~ "', " ~ relation_alias ~ "." ~ adapter.quote(column_name)) -%}
    {%- endfor -%}
    to_json(named_struct({{ fields | join(', ') }}), map('ignoreNullFields', 'false'))
{%- endmacro %}
