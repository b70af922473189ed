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
        {{ raw_row_fingerprint('source', 'salesforce', 'product_2') }}
    from source
),

{{ staging_row_keys('parsed', 'product_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('product_id', 'is_deleted') }}
            when is_active_unreadable then 'unparseable boolean'
            when is_timestamp_unreadable then 'unparseable timestamp'
            when product_line is null then 'missing product line'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'product_2', 'product_id') }},
        product_id,
        product_name,
        product_code,
        product_line,
        coalesce(is_active, false) as is_active,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
