-- The first new-business opportunity of every person who has one: the opportunity the lead
-- funnel counts (a person may have several; fct_opportunities keeps them all). Candidates
-- are the new-business opportunities created when one of the person's Salesforce leads was
-- converted, and those whose primary contact is one of the person's Salesforce contacts.
-- Rule (first_opportunity_rule): the earliest created; on a tie the one from a lead
-- conversion, then the smallest opportunity_id.
with

lead_records as (
    select * from {{ ref('int_lead_records_unioned') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

new_business_opportunities as (
    select *
    from opportunities
    where opportunity_type = 'new_business'
),

via_lead_conversion as (
    select
        lead_records.person_id,
        lead_records.converted_opportunity_id as opportunity_id,
        'lead_conversion' as found_via,
        1 as found_via_priority
    from lead_records
    where
        lead_records.converted_opportunity_id is not null
        and lead_records.person_id is not null
),

via_primary_contact as (
    select
        person_identity.person_id,
        new_business_opportunities.opportunity_id,
        'primary_contact' as found_via,
        2 as found_via_priority
    from new_business_opportunities
    inner join person_identity
        on
            person_identity.source_table = 'salesforce.contact'
            and new_business_opportunities.contact_id = person_identity.source_record_id
),

candidates as (
    select * from via_lead_conversion
    union all
    select * from via_primary_contact
),

-- one row per person and opportunity, keeping the strongest way it was found
candidate_opportunities as (
    select
        candidates.person_id,
        candidates.opportunity_id,
        min(candidates.found_via_priority) as found_via_priority
    from candidates
    group by
        candidates.person_id,
        candidates.opportunity_id
),

ranked as (
    select
        candidate_opportunities.person_id,
        candidate_opportunities.opportunity_id,
        candidate_opportunities.found_via_priority,
        new_business_opportunities.created_at,
        new_business_opportunities.close_date,
        new_business_opportunities.is_closed,
        new_business_opportunities.is_won,
        count(*) over (partition by candidate_opportunities.person_id) as new_business_opportunity_count,
        row_number() over (
            partition by candidate_opportunities.person_id
            order by
                new_business_opportunities.created_at,
                candidate_opportunities.found_via_priority,
                candidate_opportunities.opportunity_id
        ) as opportunity_rank
    from candidate_opportunities
    -- a converted opportunity that is not new business (or not staged) is no candidate
    inner join new_business_opportunities
        on candidate_opportunities.opportunity_id = new_business_opportunities.opportunity_id
),

final as (
    select
        person_id,
        opportunity_id as first_opportunity_id,
        case found_via_priority
            when 1 then 'earliest_new_business_via_lead_conversion'
            else 'earliest_new_business_via_primary_contact'
        end as first_opportunity_rule,
        new_business_opportunity_count,
        created_at as opportunity_created_at,
        close_date,
        is_closed,
        is_won
    from ranked
    where opportunity_rank = 1
)

select * from final
