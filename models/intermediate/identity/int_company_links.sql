-- Every link found between two company records, with the rule that made it: the audit
-- trail of company identity resolution (one row per linked pair and rule). Rules, strongest
-- first (match_priority):
--   1 corporate_number  same 法人番号
--   2 sfdc_link         an explicit id: CRM customer sfdc_account_id → Salesforce account
--                       (crm.sfdc_account_id), or a person whose HubSpot contact belongs to a
--                       HubSpot company and whose lead was converted into (or whose Salesforce
--                       contact belongs to) a Salesforce account (lead.converted_account_id)
--   3 domain            same web domain; free-mail domains are never matched (seed
--                       free_mail_domains), nor a domain whose records carry two different
--                       法人番号 (shared by a group of companies: ambiguous)
--   4 name              same normalised company name, unless its records carry two different
--                       法人番号 or two different (non-free-mail) web domains: two companies
--                       with one name (同名異社), so the name alone cannot tell them apart
-- Rules 1, 3 and 4 link each record of a group to the group's first record (a star).
-- is_blocked_by_corporate_number marks a link between records whose known 法人番号 differ:
-- it stays here for the audit, but identity resolution never merges across it.
with

records as (
    select * from {{ ref('int_company_records') }}
),

person_records as (
    select * from {{ ref('int_person_records') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

corporate_number_groups as (
    select
        record_key,
        min(record_key) over (partition by corporate_number) as group_first_record_key
    from records
    where corporate_number is not null
),

corporate_number_links as (
    select
        record_key,
        group_first_record_key as linked_record_key,
        'corporate_number' as match_method,
        1 as match_priority,
        'same 法人番号' as match_detail
    from corporate_number_groups
    where record_key <> group_first_record_key
),

salesforce_accounts as (
    select * from records
    where source_table = 'salesforce.account'
),

hubspot_companies as (
    select * from records
    where source_table = 'hubspot.company'
),

crm_account_links as (
    select
        records.record_key,
        salesforce_accounts.record_key as linked_record_key,
        'sfdc_link' as match_method,
        2 as match_priority,
        'crm.customers.sfdc_account_id' as match_detail
    from records
    inner join salesforce_accounts
        on records.salesforce_account_id = salesforce_accounts.source_record_id
    where records.source_table = 'crm.customers'
),

people_with_companies as (
    select
        person_identity.person_id,
        person_records.source_table,
        person_records.hubspot_company_id,
        coalesce(person_records.converted_account_id, person_records.salesforce_account_id) as account_id
    from person_records
    inner join person_identity
        on person_records.record_key = person_identity.record_key
),

person_hubspot_companies as (
    select distinct
        person_id,
        hubspot_company_id
    from people_with_companies
    where hubspot_company_id is not null
),

person_accounts as (
    select distinct
        person_id,
        account_id,
        case
            when source_table = 'salesforce.lead' then 'salesforce.lead.converted_account_id'
            else 'salesforce.contact.account_id'
        end as match_detail
    from people_with_companies
    where account_id is not null
),

person_account_links as (
    select distinct
        hubspot_companies.record_key,
        salesforce_accounts.record_key as linked_record_key,
        'sfdc_link' as match_method,
        2 as match_priority,
        person_accounts.match_detail
    from person_hubspot_companies
    inner join person_accounts
        on person_hubspot_companies.person_id = person_accounts.person_id
    inner join hubspot_companies
        on person_hubspot_companies.hubspot_company_id = hubspot_companies.source_record_id
    inner join salesforce_accounts
        on person_accounts.account_id = salesforce_accounts.source_record_id
),

domains as (
    select
        matching_web_domain,
        min(record_key) as group_first_record_key,
        count(distinct corporate_number) as corporate_number_count
    from records
    where matching_web_domain is not null
    group by matching_web_domain
),

domain_groups as (
    select
        records.record_key,
        domains.group_first_record_key,
        domains.corporate_number_count
    from records
    inner join domains
        on records.matching_web_domain = domains.matching_web_domain
),

domain_links as (
    select
        record_key,
        group_first_record_key as linked_record_key,
        'domain' as match_method,
        3 as match_priority,
        'same web domain' as match_detail
    from domain_groups
    where
        record_key <> group_first_record_key
        and corporate_number_count <= 1
),

names as (
    select
        company_name_normalized,
        min(record_key) as group_first_record_key,
        count(distinct corporate_number) as corporate_number_count,
        count(distinct matching_web_domain) as web_domain_count
    from records
    where company_name_normalized is not null
    group by company_name_normalized
),

name_groups as (
    select
        records.record_key,
        names.group_first_record_key,
        names.corporate_number_count,
        names.web_domain_count
    from records
    inner join names
        on records.company_name_normalized = names.company_name_normalized
),

name_links as (
    select
        record_key,
        group_first_record_key as linked_record_key,
        'name' as match_method,
        4 as match_priority,
        'same normalised company name' as match_detail
    from name_groups
    where
        record_key <> group_first_record_key
        and corporate_number_count <= 1
        and web_domain_count <= 1
),

all_links as (
    select * from corporate_number_links
    union all
    select * from crm_account_links
    union all
    select * from person_account_links
    union all
    select * from domain_links
    union all
    select * from name_links
),

final as (
    select
        all_links.record_key,
        all_links.linked_record_key,
        all_links.match_method,
        all_links.match_detail,
        all_links.match_priority,
        left_records.source_table,
        left_records.source_record_id,
        right_records.source_table as linked_source_table,
        right_records.source_record_id as linked_source_record_id,
        coalesce(
            left_records.corporate_number <> right_records.corporate_number,
            false
        ) as is_blocked_by_corporate_number
    from all_links
    inner join records as left_records
        on all_links.record_key = left_records.record_key
    inner join records as right_records
        on all_links.linked_record_key = right_records.record_key
)

select * from final
