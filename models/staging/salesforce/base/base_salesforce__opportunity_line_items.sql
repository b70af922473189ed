-- Every raw Salesforce opportunity line item, cast, with its row disposition: staged,
-- quarantined (with the reason) or removed as a soft delete.
with

source as (
    {{ raw_source('salesforce', 'opportunity_line_item') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as opportunity_line_item_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ salesforce_id('opportunity_id') }} as opportunity_id,
        {{ salesforce_id('product_2_id') }} as product_id,
        {{ parse_number('quantity') }} as quantity,
        {{ parse_number('unit_price') }} as unit_price_amount_jpy,
        {{ parse_number('total_price') }} as total_amount_jpy,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('quantity', parse_number('quantity')) }} as is_quantity_unreadable,
        (
            {{ is_unreadable('unit_price', parse_number('unit_price')) }}
            or {{ is_unreadable('total_price', parse_number('total_price')) }}
        ) as is_amount_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'opportunity_line_item') }}
    from source
),

{{ staging_row_keys('parsed', 'opportunity_line_item_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('opportunity_line_item_id', 'is_deleted') }}
            when opportunity_id is null then 'missing opportunity id'
            when product_id is null then 'missing product id'
            when is_timestamp_unreadable then 'unparseable timestamp'
            when is_quantity_unreadable then 'unparseable number'
            when quantity < 0 then 'negative number'
            when is_amount_unreadable then 'unparseable amount'
            when unit_price_amount_jpy < 0 or total_amount_jpy < 0 then 'negative amount'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'opportunity_line_item', 'opportunity_line_item_id') }},
        opportunity_line_item_id,
        opportunity_id,
        product_id,
        quantity,
        unit_price_amount_jpy,
        total_amount_jpy,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
