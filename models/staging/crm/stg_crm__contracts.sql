-- CRM contract terms that passed every staging check, export repeats removed: one row per
-- contract term and product line.
with

contracts as (
    select * from {{ ref('base_crm__contracts') }}
),

final as (
    select
        contract_id,
        customer_id,
        product_line,
        contract_type,
        previous_contract_id,
        salesforce_opportunity_id,
        start_date,
        end_date,
        amount_jpy,
        created_at,
        created_at_utc,
        exported_at_utc
    from contracts
    where row_disposition = 'staged'
)

select * from final
