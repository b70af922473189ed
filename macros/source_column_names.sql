{#-
  The columns a raw table declares in its sources YAML (the raw contract), in declaration
  order, minus `exclude`. Read from the graph, so it is empty while dbt only parses.
-#}
{% macro source_column_names(source_name, table_name, exclude=[]) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name == source_name and node.name == table_name -%}
                {%- for column_name in node.columns -%}
                    {%- if column_name not in exclude -%}
                        {%- do names.append(column_name) -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if names | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "source_column_names: no declared columns for source " ~ source_name ~ "." ~ table_name
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
