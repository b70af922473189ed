{#-
  A raw table as staging reads it: every column of the raw contract (the sources YAML), under
  our name, as text, whatever the connector called it; nothing else. Used as the first CTE of
  every base_* model:
      source as (
          {{ raw_source('salesforce', 'lead') }}
      ),
  How a raw column is found (the compiled source_mapping.yml, macro source_mapping(), gives
  each contract column its candidate names): the first candidate present in the table, by
  exact name, else compared without case and underscores (CreatedDate = created_date). A
  column that is absent is NULL (or the sources YAML's `default_when_absent`: one business
  unit, 全社, for a company without them), unless the sources YAML marks it `required_for`
  KPIs: then the build stops here with the KPIs and the line to add to source_mapping.yml. A table in
  connector history mode (`_fivetran_active`) is read as its current rows.
-#}
{% macro raw_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set spec = source_mapping()['tables'][source_name ~ '.' ~ table_name] -%}
    {%- set is_unit_test_fixture = (relation | string).startswith('__dbt__cte__') -%}
    {%- set from_sql = relation if is_unit_test_fixture else raw_source_relation(relation, source_name, table_name, spec['identifier']) -%}
    {%- set resolved = raw_source_resolve_columns(from_sql, source_name, table_name, spec, is_unit_test_fixture) %}
    select
    {%- for column in spec['columns'] %}
        {% if resolved['columns'][column['name']] is not none -%}
            cast({{ adapter.quote(resolved['columns'][column['name']]) }} as {{ dbt.type_string() }})
        {%- elif column['default_when_absent'] -%}
            cast('{{ column['default_when_absent'] | replace("'", "''") }}' as {{ dbt.type_string() }})
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ adapter.quote(column['name']) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
    from {{ from_sql }}
    {%- if resolved['history_mode_column'] %}
    where {{ parse_boolean(adapter.quote(resolved['history_mode_column'])) }}
    {%- endif %}
{%- endmacro %}

{#- The relation of the raw table under the name the mapping gives it. -#}
{% macro raw_source_relation(relation, source_name, table_name, identifier) -%}
    {%- if identifier == table_name or not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- set location = (node.get('config', {}).get('meta', {}) or {}).get('external_location') or (node.get('meta', {}) or {}).get('external_location') -%}
    {%- if location -%}
        {{ return(location.replace('{name}', identifier)) }}
    {%- endif -%}
    {{ return(api.Relation.create(database=relation.database, schema=relation.schema, identifier=identifier)) }}
{%- endmacro %}

{#-
  {'columns': {contract column: raw column or none}, 'history_mode_column': raw column or none}.
  Before execution (parsing) and for unit-test fixtures every contract column is present as is.
-#}
{% macro raw_source_resolve_columns(from_sql, source_name, table_name, spec, is_unit_test_fixture) -%}
    {%- set resolved = {'columns': {}, 'history_mode_column': none} -%}
    {%- if not execute or is_unit_test_fixture -%}
        {%- for column in spec['columns'] -%}
            {%- do resolved['columns'].update({column['name']: column['name']}) -%}
        {%- endfor -%}
        {{ return(resolved) }}
    {%- endif -%}
    {%- set raw_columns = run_query('select * from ' ~ from_sql ~ ' where 1 = 0').column_names -%}
    {%- set by_normalized_name = {} -%}
    {%- for raw_column in raw_columns -%}
        {%- set key = raw_column | lower | replace('_', '') -%}
        {%- if key not in by_normalized_name -%}
            {%- do by_normalized_name.update({key: raw_column}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set missing_required = [] -%}
    {%- for column in spec['columns'] -%}
        {%- set found = [] -%}
        {%- for candidate in column['candidates'] if found | length == 0 -%}
            {%- if candidate in raw_columns -%}
                {%- do found.append(candidate) -%}
            {%- elif (candidate | lower | replace('_', '')) in by_normalized_name -%}
                {%- do found.append(by_normalized_name[candidate | lower | replace('_', '')]) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do resolved['columns'].update({column['name']: (found[0] if found else none)}) -%}
        {%- if not found and column['required_for'] -%}
            {%- do missing_required.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing_required -%}
        {%- set lines = [] -%}
        {%- for column in missing_required -%}
            {%- do lines.append(
                "column '" ~ column['name'] ~ "' is missing (looked for: "
                ~ (column['candidates'] | join(', ') if column['candidates'] else 'nothing: mapped to null')
                ~ "); it is required for " ~ column['required_for'] | join(', ')
                ~ ". Name your column in source_mapping.yml under systems: " ~ source_name ~ ": fields: "
                ~ table_name ~ ": " ~ column['name'] ~ ": <your column>"
            ) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "raw table " ~ source_name ~ "." ~ table_name ~ " (" ~ spec['identifier'] ~ "): "
            ~ lines | join('; ')
        ) }}
    {%- endif -%}
    {%- for candidate in spec['history_mode_active_columns'] -%}
        {%- if resolved['history_mode_column'] is none and (candidate | lower | replace('_', '')) in by_normalized_name -%}
            {%- do resolved.update({'history_mode_column': by_normalized_name[candidate | lower | replace('_', '')]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(resolved) }}
{%- endmacro %}
