-- One row per person record of every system (HubSpot contact, Salesforce lead, Salesforce
-- contact) in one shape, with the keys identity resolution matches on. The keys are the
-- ones staging derives with the project's macros (normalize_email: width folded, spaces
-- removed, lower-cased; normalize_company_name; normalize_web_domain); the unit tests in
-- _identity__models.yml pin down the variants identity relies on.
with

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

salesforce_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

salesforce_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

hubspot_contact_records as (
    select
        'hubspot' as source_system,
        'hubspot.contact' as source_table,
        hubspot_contact_id as source_record_id,
        email_normalized,
        salesforce_lead_id as synced_lead_id,
        cast(null as {{ dbt.type_string() }}) as converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as converted_account_id,
        cast(null as {{ dbt.type_string() }}) as converted_opportunity_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        hubspot_company_id,
        company_name_normalized,
        cast(null as {{ dbt.type_string() }}) as web_domain,
        cast(null as {{ dbt.type_string() }}) as lead_source,
        business_unit,
        created_at
    from hubspot_contacts
),

salesforce_lead_records as (
    select
        'salesforce' as source_system,
        'salesforce.lead' as source_table,
        lead_id as source_record_id,
        email_normalized,
        cast(null as {{ dbt.type_string() }}) as synced_lead_id,
        converted_contact_id,
        converted_account_id,
        converted_opportunity_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_company_id,
        company_name_normalized,
        web_domain,
        lead_source,
        business_unit,
        created_at
    from salesforce_leads
),

salesforce_contact_records as (
    select
        'salesforce' as source_system,
        'salesforce.contact' as source_table,
        contact_id as source_record_id,
        email_normalized,
        cast(null as {{ dbt.type_string() }}) as synced_lead_id,
        cast(null as {{ dbt.type_string() }}) as converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as converted_account_id,
        cast(null as {{ dbt.type_string() }}) as converted_opportunity_id,
        account_id as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as hubspot_company_id,
        cast(null as {{ dbt.type_string() }}) as company_name_normalized,
        cast(null as {{ dbt.type_string() }}) as web_domain,
        lead_source,
        cast(null as {{ dbt.type_string() }}) as business_unit,
        created_at
    from salesforce_contacts
),

unioned as (
    select * from hubspot_contact_records
    union all
    select * from salesforce_lead_records
    union all
    select * from salesforce_contact_records
),

final as (
    select
        {{ dbt.concat(['source_table', "':'", 'source_record_id']) }} as record_key,
        source_system,
        source_table,
        source_record_id,
        email_normalized,
        {{ dbt.split_part('email_normalized', "'@'", 2) }} as email_domain,
        synced_lead_id,
        converted_contact_id,
        converted_account_id,
        converted_opportunity_id,
        salesforce_account_id,
        hubspot_company_id,
        company_name_normalized,
        web_domain,
        lead_source,
        business_unit,
        created_at
    from unioned
)

select * from final
