{#-
  The disposition pattern every base_* model shares (docs/staging.md): each raw row is read
  once and leaves staging with one disposition: staged, quarantined (with the first failed
  check as its reason), removed_soft_delete or removed_exact_duplicate. A base model:

      parsed as (
          select <typed columns>, {{ raw_row_fingerprint('source', 'crm', 'contracts', ['exported_at']) }}
          from source
      ),
      {{ staging_row_keys('parsed', 'contract_id', soft_delete_flag='is_deleted', copies_ordered_by='exported_at_utc') }},
      checked as (
          select *, case {{ staging_key_checks('contract_id', 'is_deleted') }} when <its own checks> end
              as quarantine_reason_found
          from keyed
      ),
      final as (select {{ staging_row_disposition('crm', 'contracts', 'contract_id') }}, <its columns> from checked)

  Duplicates are found on the record key and on hashes of the raw columns, never by
  comparing whole rows as text; the raw row becomes JSON text only where it is kept: for the
  rows that are not staged (stg_quarantine shows them so that they can be fixed at the source).
-#}

{#-
  Select-list items: raw_row (the raw row, carried to the end so that only the rows that are
  not staged are turned into JSON; left out with carry_raw_row=false, for a model that keys
  the raw columns first and carries the row later with raw_row_carried), raw_row_hash (hash
  of every raw column) and, when `content_excluded` names columns in which copies of one
  record may differ (the connector's sync time), raw_content_hash (hash of the other columns).
-#}
{% macro raw_row_fingerprint(relation_alias, source_name, table_name, content_excluded=none, carry_raw_row=true) -%}
    {%- set columns = [] -%}
    {%- for column_name in raw_table_columns(source_name, table_name) -%}
        {%- do columns.append(adapter.quote(column_name)) -%}
    {%- endfor -%}
    {%- if carry_raw_row -%}
    {{ raw_row_carried(relation_alias, source_name, table_name) }} as raw_row,
    {% endif -%}
    {{ row_hash(columns) }} as raw_row_hash
    {%- if content_excluded is not none -%}
        {%- set content_columns = [] -%}
        {%- for column_name in raw_table_columns(source_name, table_name) if column_name not in content_excluded -%}
            {%- do content_columns.append(adapter.quote(column_name)) -%}
        {%- endfor -%},
    {{ row_hash(content_columns) }} as raw_content_hash
    {%- endif -%}
{%- endmacro %}

{#-
  The raw row as staging carries it, from the raw columns of `relation_alias` (the source or
  a later CTE that still holds them): DuckDB keeps a struct of them (named unqualified, as
  the select that carries it reads that one relation), others their JSON text.
-#}
{% macro raw_row_carried(relation_alias, source_name, table_name) -%}
    {{ return(adapter.dispatch('raw_row_carried', 'common_kpi')(relation_alias, source_name, table_name)) }}
{%- endmacro %}

{% macro default__raw_row_carried(relation_alias, source_name, table_name) -%}
    {{ raw_row_json(relation_alias, source_name, table_name) }}
{%- endmacro %}

{% macro duckdb__raw_row_carried(relation_alias, source_name, table_name) -%}
    {%- set fields = [] -%}
    {%- for column_name in raw_table_columns(source_name, table_name) -%}
        {%- do fields.append(adapter.quote(column_name) ~ ' := ' ~ adapter.quote(column_name)) -%}
    {%- endfor -%}
    struct_pack({{ fields | join(', ') }})
{%- endmacro %}

{#- JSON text of a carried raw row. -#}
{% macro raw_row_carried_json(carried) -%}
    {{ return(adapter.dispatch('raw_row_carried_json', 'common_kpi')(carried)) }}
{%- endmacro %}

{% macro default__raw_row_carried_json(carried) -%}
    {{ carried }}
{%- endmacro %}

{% macro duckdb__raw_row_carried_json(carried) -%}
    cast(to_json({{ carried }}) as {{ dbt.type_string() }})
{%- endmacro %}

{#-
  A text hash of several values, null and '' told apart, no two lists of values alike
  (each value is prefixed with its length). DuckDB hashes the values natively (64 bits).
-#}
{% macro row_hash(expressions) -%}
    {{ return(adapter.dispatch('row_hash', 'common_kpi')(expressions)) }}
{%- endmacro %}

{% macro default__row_hash(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- set value_sql = dbt.cast(expression, dbt.type_string()) -%}
        {%- do parts.append(
            "coalesce(" ~ dbt.concat([dbt.cast(dbt.length(value_sql), dbt.type_string()), "':'", value_sql]) ~ ", 'n')"
        ) -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{% macro duckdb__row_hash(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) as {{ dbt.type_string() }})
{%- endmacro %}

{#-
  The CTE `keyed`, which keys every raw row of `from_cte`, with:
    is_exact_duplicate      a later copy of a row whose raw content (raw_content_hash) was
                            already seen, ordered by `copies_ordered_by` (the earliest copy is
                            kept); only with raw_row_fingerprint(content_excluded=...)
    is_soft_deleted         `soft_delete_flag` is true (false without one)
    is_key_shared           the key has more than one live row (neither an exact duplicate nor
                            soft deleted): which one is right cannot be told
    copy_number_of_key      1, 2, ... over the rows of one key (raw_row_id), in the key's
                            sort order (content, copies_ordered_by, raw_row_hash), so that a
                            kept row comes before its copies
  Everything is computed over one sort of the rows by key (copies of a record share its key,
  as the key is one of the raw columns they share): the largest raw tables spill to disk at
  scale, and each further window would sort all their rows again (docs/performance.md).
-#}
{% macro staging_row_keys(from_cte, primary_key, soft_delete_flag=none, copies_ordered_by=none) -%}
    {%- set is_soft_deleted = 'coalesce(' ~ soft_delete_flag ~ ', false)' if soft_delete_flag else 'false' -%}
    {%- if copies_ordered_by -%}
        {%- set key_order = 'raw_content_hash, ' ~ copies_ordered_by ~ ', raw_row_hash' -%}
    {%- else -%}
        {%- set key_order = 'raw_row_hash' -%}
    {%- endif -%}
    {%- set key_rows = 'partition by ' ~ primary_key ~ ' order by ' ~ key_order -%}
    {%- set all_key_rows = key_rows ~ ' rows between unbounded preceding and unbounded following' -%}
keyed as (
    select
        *,
        {%- if copies_ordered_by %}
        coalesce(lag(raw_content_hash) over ({{ key_rows }}) = raw_content_hash, false) as is_exact_duplicate,
        {%- else %}
        false as is_exact_duplicate,
        {%- endif %}
        {{ is_soft_deleted }} as is_soft_deleted,
        {%- if copies_ordered_by %}
        {# copies share their content: several live rows = several live contents #}
        coalesce(
            min(case when not {{ is_soft_deleted }} then raw_content_hash end) over ({{ all_key_rows }})
            <> max(case when not {{ is_soft_deleted }} then raw_content_hash end) over ({{ all_key_rows }}),
            false
        ) as is_key_shared,
        {%- else %}
        sum(case when not {{ is_soft_deleted }} then 1 else 0 end) over ({{ all_key_rows }}) > 1 as is_key_shared,
        {%- endif %}
        row_number() over ({{ key_rows }}) as copy_number_of_key
    from {{ from_cte }}
)
{%- endmacro %}

{#-
  The first `when` lines of a base model's quarantine check, in this order: an exact
  duplicate is removed, not quarantined; a row without its key, or whose soft-delete flag
  cannot be read, is quarantined; a soft-deleted row is removed; two live rows with one key
  are both quarantined (which one is right cannot be told).
-#}
{% macro staging_key_checks(primary_key, soft_delete_flag=none) -%}
    when is_exact_duplicate then null
            when {{ primary_key }} is null then 'missing primary key'
    {%- if soft_delete_flag %}
            when {{ soft_delete_flag }}_unreadable then 'unparseable boolean'
            when is_soft_deleted then null
    {%- endif %}
            when is_key_shared then 'duplicate primary key'
{%- endmacro %}

{#-
  The select-list items every base model starts with: raw_row_id, source_system,
  source_table, source_row_id, row_disposition, quarantine_reason, raw_row_json (only for
  rows that are not staged) and raw_row_hash; read from `checked` (quarantine_reason_found).
-#}
{% macro staging_row_disposition(source_system, source_table, primary_key) -%}
    {%- set is_not_staged = 'is_exact_duplicate or quarantine_reason_found is not null or is_soft_deleted' -%}
    {{ row_hash(['raw_row_hash', 'copy_number_of_key']) }} as raw_row_id,
        '{{ source_system }}' as source_system,
        '{{ source_table }}' as source_table,
        coalesce({{ dbt.cast(primary_key, dbt.type_string()) }}, raw_row_hash) as source_row_id,
        case
            when is_exact_duplicate then 'removed_exact_duplicate'
            when quarantine_reason_found is not null then 'quarantined'
            when is_soft_deleted then 'removed_soft_delete'
            else 'staged'
        end as row_disposition,
        quarantine_reason_found as quarantine_reason,
        case when {{ is_not_staged }} then {{ raw_row_carried_json('raw_row') }} end as raw_row_json,
        raw_row_hash
{%- endmacro %}
