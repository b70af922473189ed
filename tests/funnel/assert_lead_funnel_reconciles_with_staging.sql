-- Reconciliation: no lead is lost or counted twice between staging and fct_lead_funnel.
-- Every staged HubSpot contact that reached the lead stage (a lead date or any later stage
-- date, or a lifecycle stage at or after `lead`) and every staged Salesforce lead must map,
-- through int_person_identity, to exactly one funnel row; and every funnel row must have at
-- least one such lead record. Fails with one row per problem.
with

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

lifecycle_stages as (
    select * from {{ ref('hubspot_lifecycle_stages') }}
),

salesforce_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

lead_stage as (
    select stage_order as lead_stage_order
    from lifecycle_stages
    where lifecycle_stage = 'lead'
),

staged_lead_records as (
    select
        'hubspot.contact' as source_table,
        hubspot_contacts.hubspot_contact_id as source_record_id
    from hubspot_contacts
    cross join lead_stage
    where
        hubspot_contacts.became_lead_at is not null
        or hubspot_contacts.became_mql_at is not null
        or hubspot_contacts.became_sql_at is not null
        or hubspot_contacts.became_opportunity_at is not null
        or hubspot_contacts.became_customer_at is not null
        or hubspot_contacts.lifecycle_stage_order >= lead_stage.lead_stage_order
    union all
    select
        'salesforce.lead' as source_table,
        lead_id as source_record_id
    from salesforce_leads
),

record_matches as (
    select
        staged_lead_records.source_table,
        staged_lead_records.source_record_id,
        person_identity.person_id,
        count(funnel.person_id) as funnel_row_count
    from staged_lead_records
    left join person_identity
        on
            staged_lead_records.source_table = person_identity.source_table
            and staged_lead_records.source_record_id = person_identity.source_record_id
    left join funnel
        on person_identity.person_id = funnel.person_id
    group by
        staged_lead_records.source_table,
        staged_lead_records.source_record_id,
        person_identity.person_id
),

lost_or_doubled as (
    select
        source_table,
        source_record_id,
        person_id,
        case
            when person_id is null then 'lead record without a person'
            when funnel_row_count = 0 then 'lead lost: no funnel row'
            else 'lead counted twice: several funnel rows'
        end as problem
    from record_matches
    where person_id is null or funnel_row_count != 1
),

funnel_without_lead as (
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as source_record_id,
        funnel.person_id,
        'funnel row without a staged lead record' as problem
    from funnel
    where not exists (
        select 1
        from record_matches
        where record_matches.person_id = funnel.person_id
    )
),

final as (
    select * from lost_or_doubled
    union all
    select * from funnel_without_lead
)

select * from final
