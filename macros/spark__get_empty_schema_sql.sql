{#-
  Spark: the empty select dbt builds from a model's contract to check its column types names
  the contract's types, and Spark has no `varchar` without a length. The marts' contracts
  are written once in DuckDB / PostgreSQL names, so `varchar` is read as `string` here;
  everything else is dbt's own check.
-#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- for column in columns.values() if (column.get('data_type') or '') | lower == 'varchar' -%}
        {%- do column.update({'data_type': 'string'}) -%}
    {%- endfor -%}
    {{ return(default__get_empty_schema_sql(columns)) }}
{%- endmacro %}
