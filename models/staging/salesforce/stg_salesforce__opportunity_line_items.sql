-- Salesforce opportunity line items that passed every staging check: one row per product on a deal.
with

line_items as (
    select * from {{ ref('base_salesforce__opportunity_line_items') }}
),

final as (
    select
        opportunity_line_item_id,
        opportunity_id,
        product_id,
        quantity,
        unit_price_amount_jpy,
        total_amount_jpy,
        created_at,
        created_at_utc,
        synced_at_utc
    from line_items
    where row_disposition = 'staged'
)

select * from final
