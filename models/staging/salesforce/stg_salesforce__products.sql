-- Salesforce products that passed every staging check: one row per product.
with

products as (
    select * from {{ ref('base_salesforce__products') }}
),

final as (
    select
        product_id,
        product_name,
        product_code,
        product_line,
        is_active,
        created_at,
        created_at_utc,
        synced_at_utc
    from products
    where row_disposition = 'staged'
)

select * from final
