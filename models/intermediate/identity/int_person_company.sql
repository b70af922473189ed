-- The company of every person: one row per person (company_id null when none is found).
-- Candidates, strongest first (match_method):
--   converted_account           a lead of the person was converted into a Salesforce account
--   salesforce_contact_account  a Salesforce contact of the person belongs to an account
--   hubspot_associated_company  a HubSpot contact of the person is associated with a company
--   lead_company_domain         the web site typed on a lead matches one company's domain
--   lead_company_name           the company name typed on a lead or HubSpot form matches
--                               one company's normalised name
--   email_domain                the person's email domain matches one company's domain
-- Domain and name candidates count only when they point to exactly one company; free-mail
-- domains (seed free_mail_domains) never count. Among the candidates of the strongest
-- method, the company most records point to wins (ties: the smallest company_id).
with

person_records as (
    select * from {{ ref('int_person_records') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

company_records as (
    select * from {{ ref('int_company_records') }}
),

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

free_mail_domains as (
    select * from {{ ref('free_mail_domains') }}
),

people as (
    select
        person_identity.person_id,
        person_records.*
    from person_records
    inner join person_identity
        on person_records.record_key = person_identity.record_key
),

companies as (
    select
        company_identity.company_id,
        company_records.*
    from company_records
    inner join company_identity
        on company_records.record_key = company_identity.record_key
),

unique_company_domains as (
    select
        matching_web_domain,
        min(company_id) as company_id
    from companies
    where matching_web_domain is not null
    group by matching_web_domain
    having count(distinct company_id) = 1
),

unique_company_names as (
    select
        company_name_normalized,
        min(company_id) as company_id
    from companies
    where company_name_normalized is not null
    group by company_name_normalized
    having count(distinct company_id) = 1
),

account_candidates as (
    select
        people.person_id,
        companies.company_id,
        case
            when people.source_table = 'salesforce.lead' then 'converted_account'
            else 'salesforce_contact_account'
        end as match_method,
        case
            when people.source_table = 'salesforce.lead' then 1
            else 2
        end as method_priority
    from people
    inner join companies
        on
            coalesce(people.converted_account_id, people.salesforce_account_id) = companies.source_record_id
            and companies.source_table = 'salesforce.account'
),

hubspot_company_candidates as (
    select
        people.person_id,
        companies.company_id,
        'hubspot_associated_company' as match_method,
        3 as method_priority
    from people
    inner join companies
        on
            people.hubspot_company_id = companies.source_record_id
            and companies.source_table = 'hubspot.company'
),

lead_domain_candidates as (
    select
        people.person_id,
        unique_company_domains.company_id,
        'lead_company_domain' as match_method,
        4 as method_priority
    from people
    inner join unique_company_domains
        on people.web_domain = unique_company_domains.matching_web_domain
),

lead_name_candidates as (
    select
        people.person_id,
        unique_company_names.company_id,
        'lead_company_name' as match_method,
        5 as method_priority
    from people
    inner join unique_company_names
        on people.company_name_normalized = unique_company_names.company_name_normalized
),

email_domain_candidates as (
    select
        people.person_id,
        unique_company_domains.company_id,
        'email_domain' as match_method,
        6 as method_priority
    from people
    inner join unique_company_domains
        on people.email_domain = unique_company_domains.matching_web_domain
    left join free_mail_domains
        on people.email_domain = free_mail_domains.web_domain
    where free_mail_domains.web_domain is null
),

candidates as (
    select * from account_candidates
    union all
    select * from hubspot_company_candidates
    union all
    select * from lead_domain_candidates
    union all
    select * from lead_name_candidates
    union all
    select * from email_domain_candidates
),

candidate_votes as (
    select
        person_id,
        company_id,
        match_method,
        method_priority,
        count(*) as supporting_record_count
    from candidates
    group by
        person_id,
        company_id,
        match_method,
        method_priority
),

ranked_candidates as (
    select
        *,
        row_number() over (
            partition by person_id
            order by method_priority asc, supporting_record_count desc, company_id asc
        ) as candidate_rank
    from candidate_votes
),

persons as (
    select distinct person_id
    from person_identity
),

final as (
    select
        persons.person_id,
        ranked_candidates.company_id,
        ranked_candidates.match_method
    from persons
    left join ranked_candidates
        on
            persons.person_id = ranked_candidates.person_id
            and ranked_candidates.candidate_rank = 1
)

select * from final
