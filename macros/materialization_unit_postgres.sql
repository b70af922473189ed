{#-
  dbt's unit-test materialization (dbt-core 1.11 `unit`, default), for PostgreSQL, with the two
  things that otherwise fail there on tests that pass on DuckDB:
  1. a unit test's relation is named after the test, and dbt-postgres refuses a relation name
     over 63 characters (PostgreSQL's identifier limit) before anything runs: the name is cut
     to 63 here (dbt-postgres then cuts it further for the temporary table it creates, and
     adds a time suffix, so two tests that share their first 63 characters do not collide);
  2. dbt compares actual and expected rows as Python values, and PostgreSQL keeps the scale of
     each numeric value of an unconstrained `numeric` column (sum() of numeric(18, 6), a
     numeric divided by 100.0): an actual 6.000000 differs from the expected 6. Such columns
     are compared with trim_scale() on both sides; a column with a declared scale is compared
     as it is.
  Everything else is dbt's own materialization, unchanged.
-#}
{%- materialization unit, adapter='postgres' -%}

  {% set relations = [] %}
  {% set sql_header = config.get('sql_header') if flags.REQUIRE_SQL_HEADER_IN_TEST_CONFIGS else none %}

  {% set expected_rows = config.get('expected_rows') %}
  {% set expected_sql = config.get('expected_sql') %}
  {% set tested_expected_column_names = expected_rows[0].keys() if (expected_rows | length ) > 0 else get_columns_in_query(sql) %}

  {%- set short_identifier = this.identifier[:this.relation_max_name_length()] -%}
  {%- set target_relation = this.incorporate(path={'identifier': short_identifier}).incorporate(type='table') -%}
  {%- set temp_relation = make_temp_relation(target_relation)-%}
  {% do run_query(get_create_table_as_sql(True, temp_relation, get_empty_subquery_sql(sql))) %}
  {%- set columns_in_relation = adapter.get_columns_in_relation(temp_relation) -%}
  {%- set column_name_to_data_types = {} -%}
  {%- set column_name_to_quoted = {} -%}
  {%- for column in columns_in_relation -%}
  {%-   do column_name_to_data_types.update({column.name|lower: column.data_type}) -%}
  {%-   do column_name_to_quoted.update({column.name|lower: column.quoted}) -%}
  {%- endfor -%}

  {%- set expected_column_names_quoted = [] -%}
  {%- set compared_columns = [] -%}
  {%- for column_name in tested_expected_column_names -%}
  {%-   set quoted = column_name_to_quoted[column_name|lower] -%}
  {%-   do expected_column_names_quoted.append(quoted) -%}
  {%-   if column_name_to_data_types[column_name|lower] | lower == 'numeric' -%}
  {%-     do compared_columns.append('trim_scale(' ~ quoted ~ ') as ' ~ quoted) -%}
  {%-   else -%}
  {%-     do compared_columns.append(quoted) -%}
  {%-   endif -%}
  {%- endfor -%}

  {% if not expected_sql %}
  {%   set expected_sql = get_expected_sql(expected_rows, column_name_to_data_types, column_name_to_quoted) %}
  {% endif %}
  {% set unit_test_sql = get_unit_test_sql(sql, expected_sql, compared_columns) %}

  {% call statement('main', fetch_result=True) -%}

    {% if sql_header %}{{ sql_header }}{% endif %}
    {{ unit_test_sql }}

  {%- endcall %}

  {% do adapter.drop_relation(temp_relation) %}

  {{ return({'relations': relations}) }}

{%- endmaterialization -%}
