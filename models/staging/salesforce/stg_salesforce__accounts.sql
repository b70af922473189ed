-- Salesforce accounts that passed every staging check: one row per account (company).
with

accounts as (
    select * from {{ ref('base_salesforce__accounts') }}
),

final as (
    select
        account_id,
        account_name,
        company_name_normalized,
        website,
        web_domain,
        industry,
        employee_count,
        account_type,
        corporate_number,
        has_invalid_corporate_number,
        business_unit,
        owner_user_id,
        created_at,
        created_at_utc,
        synced_at_utc
    from accounts
    where row_disposition = 'staged'
)

select * from final
