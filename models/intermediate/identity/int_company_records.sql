-- One row per company record of every system (HubSpot company, Salesforce account, CRM
-- customer of either business unit) in one shape, with the keys identity resolution matches
-- on, as staging derives them with the project's macros: 法人番号 (13 digits, widths and
-- hyphens folded), web domain (scheme, www., path dropped), company name (legal forms,
-- widths and spaces folded); the unit tests in _identity__models.yml pin down the variants
-- identity relies on. A web domain listed in seed free_mail_domains (gmail.com,
-- yahoo.co.jp, ...) is kept for display but never matched on.
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
        company_name_normalized,
        corporate_number,
        web_domain,
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
        company_name_normalized,
        corporate_number,
        web_domain,
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
        company_name_normalized,
        corporate_number,
        web_domain,
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

keyed as (
    select
        {{ dbt.concat(['source_table', "':'", 'source_record_id']) }} as record_key,
        *
    from unioned
),

final as (
    select
        keyed.record_key,
        keyed.source_system,
        keyed.source_table,
        keyed.source_record_id,
        keyed.company_name,
        keyed.company_name_normalized,
        keyed.corporate_number,
        keyed.web_domain,
        case
            when free_mail_domains.web_domain is null then keyed.web_domain
        end as matching_web_domain,
        keyed.industry,
        keyed.employee_count,
        keyed.business_unit,
        keyed.salesforce_account_id,
        keyed.owner_user_id,
        keyed.created_at
    from keyed
    left join free_mail_domains
        on keyed.web_domain = free_mail_domains.web_domain
)

select * from final
