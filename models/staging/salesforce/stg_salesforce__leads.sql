-- Salesforce leads that passed every staging check: one row per lead.
with

leads as (
    select * from {{ ref('base_salesforce__leads') }}
),

final as (
    select
        lead_id,
        first_name,
        last_name,
        email,
        email_normalized,
        phone,
        company_name,
        company_name_normalized,
        title,
        industry,
        employee_count,
        website,
        web_domain,
        lead_source,
        lead_status,
        lead_status_code,
        is_converted,
        converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        owner_user_id,
        business_unit,
        created_at,
        created_at_utc,
        last_modified_at,
        synced_at_utc
    from leads
    where row_disposition = 'staged'
)

select * from final
