-- HubSpot companies that passed every staging check: one row per company.
with

companies as (
    select * from {{ ref('base_hubspot__companies') }}
),

final as (
    select
        raw_row_id,
        hubspot_company_id,
        company_name,
        company_name_normalized,
        website,
        web_domain,
        industry,
        employee_count,
        corporate_number,
        has_invalid_corporate_number,
        business_unit,
        created_at,
        created_at_utc,
        synced_at_utc
    from companies
    where row_disposition = 'staged'
)

select * from final
