-- One row per company record of every system (HubSpot company, Salesforce account, CRM
-- customer of either business unit) in one shape, with the keys identity resolution matches
-- on. The keys are re-derived here with the project's macros from the values as staged, so
-- the matching rules (法人番号 digits, web domain, company name with legal forms, widths and
-- spaces folded) are defined and unit-tested in one place. A web domain listed in seed
-- free_mail_domains (gmail.com, yahoo.co.jp, ...) is kept for display but never matched on.
with

hubspot_companies as (
    select * from {{ ref('stg_hubspot__companies') }}
),

salesforce_accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

free_mail_domains as (
    select * from {{ ref('free_mail_domains') }}
),

hubspot_company_records as (
    select
        'hubspot' as source_system,
        'hubspot.company' as source_table,
        hubspot_company_id as source_record_id,
        company_name,
        corporate_number,
        domain as web_domain,
        industry,
        employee_count,
        business_unit,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        created_at
    from hubspot_companies
),

salesforce_account_records as (
    select
        'salesforce' as source_system,
        'salesforce.account' as source_table,
        account_id as source_record_id,
        account_name as company_name,
        corporate_number,
        website as web_domain,
        industry,
        employee_count,
        business_unit,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        owner_user_id,
        created_at
    from salesforce_accounts
),

crm_customer_records as (
    select
        'crm' as source_system,
        'crm.customers' as source_table,
        customer_id as source_record_id,
        customer_name as company_name,
        corporate_number,
        domain as web_domain,
        industry,
        employee_count,
        business_unit,
        salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        created_at
    from crm_customers
),

unioned as (
    select * from hubspot_company_records
    union all
    select * from salesforce_account_records
    union all
    select * from crm_customer_records
),

normalized as (
    select
        {{ dbt.concat(['source_table', "':'", 'source_record_id']) }} as record_key,
        source_system,
        source_table,
        source_record_id,
        {{ normalize_text('company_name') }} as company_name,
        {{ normalize_company_name('company_name') }} as company_name_normalized,
        {{ normalize_corporate_number('corporate_number') }} as corporate_number,
        {{ normalize_web_domain('web_domain') }} as web_domain,
        industry,
        employee_count,
        business_unit,
        salesforce_account_id,
        owner_user_id,
        created_at
    from unioned
),

final as (
    select
        normalized.record_key,
        normalized.source_system,
        normalized.source_table,
        normalized.source_record_id,
        normalized.company_name,
        normalized.company_name_normalized,
        normalized.corporate_number,
        normalized.web_domain,
        case
            when free_mail_domains.web_domain is null then normalized.web_domain
        end as matching_web_domain,
        normalized.industry,
        normalized.employee_count,
        normalized.business_unit,
        normalized.salesforce_account_id,
        normalized.owner_user_id,
        normalized.created_at
    from normalized
    left join free_mail_domains
        on normalized.web_domain = free_mail_domains.web_domain
)

select * from final
