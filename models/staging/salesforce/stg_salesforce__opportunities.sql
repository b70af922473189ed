-- Salesforce opportunities (deals) that passed every staging check: one row per opportunity.
with

opportunities as (
    select * from {{ ref('base_salesforce__opportunities') }}
),

final as (
    select
        opportunity_id,
        account_id,
        contact_id,
        opportunity_name,
        opportunity_type_raw,
        opportunity_type,
        stage_name,
        stage_code,
        stage_order,
        is_closed,
        is_won,
        amount_jpy,
        probability_rate,
        close_date,
        lead_source,
        owner_user_id,
        business_unit,
        created_at,
        created_at_utc,
        synced_at_utc
    from opportunities
    where row_disposition = 'staged'
)

select * from final
