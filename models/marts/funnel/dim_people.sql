-- One row per real person across HubSpot contacts, Salesforce leads and Salesforce contacts
-- (identity resolution: int_person_identity). Read by BI tools: no personal data, the
-- email is only carried as a hash (email_hash) so that a person can still be looked up.
--   email_hash     hash of the person's main normalised email: the one most of its records
--                  carry (ties: the smallest)
--   business_unit  of the person's first Salesforce lead, else of its first HubSpot contact
--   company_id     from int_person_company (company_match_method says how)
with

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

person_records as (
    select * from {{ ref('int_person_records') }}
),

person_company as (
    select * from {{ ref('int_person_company') }}
),

records as (
    select
        person_identity.person_id,
        person_identity.match_method,
        person_records.*
    from person_identity
    inner join person_records
        on person_identity.record_key = person_records.record_key
),

record_lists as (
    select
        person_id,
        {{ dbt.listagg(
            "case when source_table = 'hubspot.contact' then source_record_id end",
            "','",
            "order by source_record_id",
        ) }} as hubspot_contact_ids,
        {{ dbt.listagg(
            "case when source_table = 'salesforce.lead' then source_record_id end",
            "','",
            "order by source_record_id",
        ) }} as salesforce_lead_ids,
        {{ dbt.listagg(
            "case when source_table = 'salesforce.contact' then source_record_id end",
            "','",
            "order by source_record_id",
        ) }} as salesforce_contact_ids,
        sum(case when source_table = 'hubspot.contact' then 1 else 0 end) as hubspot_contact_count,
        sum(case when source_table = 'salesforce.lead' then 1 else 0 end) as salesforce_lead_count,
        sum(case when source_table = 'salesforce.contact' then 1 else 0 end) as salesforce_contact_count,
        count(*) as record_count,
        min(created_at) as first_seen_at
    from records
    group by person_id
),

person_match_methods as (
    select distinct
        person_id,
        match_method
    from records
),

match_method_lists as (
    select
        person_id,
        {{ dbt.listagg('match_method', "','", 'order by match_method') }} as match_methods
    from person_match_methods
    group by person_id
),

email_votes as (
    select
        person_id,
        email_normalized,
        count(*) as record_count
    from records
    where email_normalized is not null
    group by
        person_id,
        email_normalized
),

main_emails as (
    select
        person_id,
        email_normalized,
        row_number() over (
            partition by person_id
            order by record_count desc, email_normalized asc
        ) as email_rank
    from email_votes
),

business_unit_candidates as (
    select
        person_id,
        business_unit,
        row_number() over (
            partition by person_id
            order by
                case when source_table = 'salesforce.lead' then 0 else 1 end,
                created_at,
                source_record_id
        ) as business_unit_rank
    from records
    where business_unit is not null
),

final as (
    select
        record_lists.person_id,
        record_lists.hubspot_contact_ids,
        record_lists.salesforce_lead_ids,
        record_lists.salesforce_contact_ids,
        cast(record_lists.hubspot_contact_count as integer) as hubspot_contact_count,
        cast(record_lists.salesforce_lead_count as integer) as salesforce_lead_count,
        cast(record_lists.salesforce_contact_count as integer) as salesforce_contact_count,
        cast(record_lists.record_count as integer) as record_count,
        {{ dbt.hash('main_emails.email_normalized') }} as email_hash,
        person_company.company_id,
        person_company.match_method as company_match_method,
        business_unit_candidates.business_unit,
        record_lists.first_seen_at,
        match_method_lists.match_methods
    from record_lists
    inner join match_method_lists
        on record_lists.person_id = match_method_lists.person_id
    left join main_emails
        on
            record_lists.person_id = main_emails.person_id
            and main_emails.email_rank = 1
    left join business_unit_candidates
        on
            record_lists.person_id = business_unit_candidates.person_id
            and business_unit_candidates.business_unit_rank = 1
    left join person_company
        on record_lists.person_id = person_company.person_id
)

select * from final
