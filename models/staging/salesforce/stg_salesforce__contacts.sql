-- Salesforce contacts that passed every staging check: one row per contact.
with

contacts as (
    select * from {{ ref('base_salesforce__contacts') }}
),

final as (
    select
        contact_id,
        account_id,
        first_name,
        last_name,
        email,
        email_normalized,
        phone,
        title,
        lead_source,
        owner_user_id,
        created_at,
        created_at_utc,
        synced_at_utc
    from contacts
    where row_disposition = 'staged'
)

select * from final
