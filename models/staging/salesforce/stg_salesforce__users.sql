-- Salesforce users (reps) that passed every staging check: one row per user.
with

users as (
    select * from {{ ref('base_salesforce__users') }}
),

final as (
    select
        user_id,
        user_name,
        email,
        email_normalized,
        department,
        department_code,
        business_unit,
        is_active,
        created_at,
        created_at_utc,
        synced_at_utc
    from users
    where row_disposition = 'staged'
)

select * from final
