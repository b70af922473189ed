-- Every raw Salesforce product (Product2), cast and cleaned, with its row disposition:
-- staged, quarantined (with the reason) or removed as a soft delete.
with

source as (
    {{ raw_source('salesforce', 'product_2') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as product_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ normalize_text('name') }} as product_name,
        {{ normalize_text('product_code') }} as product_code,
        {{ normalize_text('family') }} as product_line,
        {{ parse_boolean('is_active') }} as is_active,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('is_active', parse_boolean('is_active')) }} as is_active_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_json('source', 'salesforce', 'product_2') }} as raw_row_json
    from source
),

keyed as (
    select
        *,
        {{ dbt.hash('raw_row_json') }} as raw_row_hash,
        row_number() over (partition by raw_row_json order by raw_row_json) as raw_copy_number,
        coalesce(is_deleted, false) as is_soft_deleted,
        sum(case when not coalesce(is_deleted, false) then 1 else 0 end)
            over (partition by product_id) as live_rows_with_same_id
    from parsed
),

checked as (
    select
        *,
        case
            when product_id is null then 'missing primary key'
            when is_deleted_unreadable then 'unparseable boolean'
            when is_soft_deleted then null
            when live_rows_with_same_id > 1 then 'duplicate primary key'
            when is_active_unreadable then 'unparseable boolean'
            when is_timestamp_unreadable then 'unparseable timestamp'
            when product_line is null then 'missing product line'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ dbt.hash(dbt.concat(['raw_row_hash', "'|'", dbt.cast('raw_copy_number', dbt.type_string())])) }}
            as raw_row_id,
        'salesforce' as source_system,
        'product_2' as source_table,
        coalesce(product_id, raw_row_hash) as source_row_id,
        product_id,
        product_name,
        product_code,
        product_line,
        coalesce(is_active, false) as is_active,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc,
        case
            when quarantine_reason_found is not null then 'quarantined'
            when is_soft_deleted then 'removed_soft_delete'
            else 'staged'
        end as row_disposition,
        quarantine_reason_found as quarantine_reason,
        raw_row_json,
        raw_row_hash
    from checked
)

select * from final
