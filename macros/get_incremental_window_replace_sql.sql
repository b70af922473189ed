{#-
  Incremental strategy `window_replace`: delete every row of the model inside the rebuilt
  window (incremental_window_filter on config incremental_window_column), then insert the
  rows the run computed for that window. Unlike delete+insert on a unique key, a key that
  no longer exists at the source (deleted, or moved to another date) disappears too.
-#}
{% macro get_incremental_window_replace_sql(arg_dict) -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ incremental_window_filter(config.get('incremental_window_column')) }};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
