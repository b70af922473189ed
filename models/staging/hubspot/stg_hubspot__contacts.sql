-- HubSpot contacts that passed every staging check: one row per contact, lifecycle dates in JST.
with

contacts as (
    select * from {{ ref('base_hubspot__contacts') }}
),

final as (
    select
        hubspot_contact_id,
        email,
        email_normalized,
        first_name,
        last_name,
        company_name,
        company_name_normalized,
        phone,
        title,
        lifecycle_stage,
        lifecycle_stage_order,
        became_lead_at,
        became_mql_at,
        became_sql_at,
        became_opportunity_at,
        became_customer_at,
        hubspot_score,
        analytics_source,
        page_view_count,
        visit_count,
        last_visit_at,
        salesforce_lead_id,
        hubspot_company_id,
        business_unit,
        created_at,
        created_at_utc,
        synced_at_utc
    from contacts
    where row_disposition = 'staged'
)

select * from final
