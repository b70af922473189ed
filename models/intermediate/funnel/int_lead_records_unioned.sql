-- One row per lead record of every system: a HubSpot contact that reached the lead stage
-- (MA) or a Salesforce lead (SFA), with the person it belongs to and the stage times that
-- record shows by itself. The person-level funnel (first time of each stage, inference of
-- skipped stages) is built from these rows in int_lead_funnel_stages.
--   MQL (MA→SFA handoff): a contact in the HubSpot marketingqualifiedlead stage, with a score
--     at or above var mql_hubspot_score_threshold, or synced to Salesforce (property
--     salesforceleadid), dated at the earliest handoff evidence: the creation of the
--     Salesforce lead the MA→SFA sync made for it, or the lifecycle-stage date when that is
--     earlier; a score-only MQL never synced is dated at its lead date (HubSpot keeps no
--     score history).
--   SQL (SFA→sales handoff): a converted Salesforce lead at its conversion (the creation of
--     the converted contact when that happened on the conversion date, else the start of
--     the conversion date, never before the lead itself); a lead in one of var
--     sql_lead_status_codes at its last modification (Salesforce keeps no status history here);
--     and, when var sql_from_hubspot_lifecycle_stage, the HubSpot salesqualifiedlead date.
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

salesforce_contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

channels as (
    select * from {{ ref('lead_source_channels') }}
),

lead_stage as (
    select stage_order as lead_stage_order
    from lifecycle_stages
    where lifecycle_stage = 'lead'
),

-- The MA→SFA handoff: the creation of the Salesforce lead the sync made for a HubSpot contact
-- (property salesforceleadid), kept only when it is not before the contact became a lead.
synced_leads as (
    select
        hubspot_contacts.hubspot_contact_id,
        salesforce_leads.lead_id,
        salesforce_leads.created_at as handoff_at
    from hubspot_contacts
    inner join salesforce_leads
        on hubspot_contacts.salesforce_lead_id = salesforce_leads.lead_id
    where
        salesforce_leads.created_at
        >= coalesce(hubspot_contacts.became_lead_at, hubspot_contacts.created_at)
),

hubspot_lead_records as (
    select
        'hubspot.contact' as source_table,
        'hubspot' as source_system,
        hubspot_contacts.hubspot_contact_id as source_record_id,
        coalesce(hubspot_contacts.became_lead_at, hubspot_contacts.created_at) as lead_created_at,
        -- MQL time = the earliest handoff evidence: the lifecycle-stage date or the creation
        -- of the synced Salesforce lead, whichever came first (the stage is often stamped
        -- after the sync, even after the SQL); for a score-only MQL never synced, its lead date.
        case
            when
                hubspot_contacts.became_mql_at is not null
                and synced_leads.handoff_at < hubspot_contacts.became_mql_at
                then synced_leads.handoff_at
            when hubspot_contacts.became_mql_at is not null then hubspot_contacts.became_mql_at
            when synced_leads.handoff_at is not null then synced_leads.handoff_at
            when hubspot_contacts.hubspot_score >= {{ var('mql_hubspot_score_threshold') }}
                then coalesce(hubspot_contacts.became_lead_at, hubspot_contacts.created_at)
        end as mql_at,
        case
            when hubspot_contacts.became_mql_at is not null then 'hubspot_lifecycle_stage'
            when hubspot_contacts.hubspot_score >= {{ var('mql_hubspot_score_threshold') }} then 'hubspot_score'
            when synced_leads.handoff_at is not null then 'ma_to_sfa_sync'
        end as mql_criterion,
        {% if var('sql_from_hubspot_lifecycle_stage') -%}
            hubspot_contacts.became_sql_at as sql_at,
            case when hubspot_contacts.became_sql_at is not null then 'hubspot_lifecycle_stage' end as sql_criterion,
        {%- else -%}
            cast(null as {{ dbt.type_timestamp() }}) as sql_at,
            cast(null as {{ dbt.type_string() }}) as sql_criterion,
        {%- endif %}
        hubspot_contacts.analytics_source as lead_source_value,
        hubspot_contacts.business_unit,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        cast(null as {{ dbt.type_string() }}) as converted_opportunity_id
    from hubspot_contacts
    cross join lead_stage
    left join synced_leads
        on hubspot_contacts.hubspot_contact_id = synced_leads.hubspot_contact_id
    where
        hubspot_contacts.became_lead_at is not null
        or hubspot_contacts.became_mql_at is not null
        or hubspot_contacts.became_sql_at is not null
        or hubspot_contacts.became_opportunity_at is not null
        or hubspot_contacts.became_customer_at is not null
        or hubspot_contacts.lifecycle_stage_order >= lead_stage.lead_stage_order
),

salesforce_conversions as (
    select
        salesforce_leads.lead_id,
        case
            when
                cast(salesforce_contacts.created_at as date) = salesforce_leads.converted_date
                and salesforce_contacts.created_at >= salesforce_leads.created_at
                then salesforce_contacts.created_at
            when cast(salesforce_leads.converted_date as {{ dbt.type_timestamp() }}) >= salesforce_leads.created_at
                then cast(salesforce_leads.converted_date as {{ dbt.type_timestamp() }})
            else salesforce_leads.created_at
        end as converted_at
    from salesforce_leads
    left join salesforce_contacts
        on salesforce_leads.converted_contact_id = salesforce_contacts.contact_id
    where salesforce_leads.is_converted
),

salesforce_lead_records as (
    select
        'salesforce.lead' as source_table,
        'salesforce' as source_system,
        salesforce_leads.lead_id as source_record_id,
        salesforce_leads.created_at as lead_created_at,
        cast(null as {{ dbt.type_timestamp() }}) as mql_at,
        cast(null as {{ dbt.type_string() }}) as mql_criterion,
        case
            when salesforce_leads.is_converted then salesforce_conversions.converted_at
            when salesforce_leads.lead_status_code in ({{ sql_values_list(var('sql_lead_status_codes')) }})
                then salesforce_leads.last_modified_at
        end as sql_at,
        case
            when salesforce_leads.is_converted then 'salesforce_converted'
            when salesforce_leads.lead_status_code in ({{ sql_values_list(var('sql_lead_status_codes')) }})
                then 'salesforce_lead_status'
        end as sql_criterion,
        salesforce_leads.lead_source as lead_source_value,
        salesforce_leads.business_unit,
        salesforce_leads.owner_user_id,
        salesforce_leads.converted_opportunity_id
    from salesforce_leads
    left join salesforce_conversions
        on salesforce_leads.lead_id = salesforce_conversions.lead_id
),

lead_records as (
    select * from hubspot_lead_records
    union all
    select * from salesforce_lead_records
),

final as (
    select
        lead_records.source_table,
        lead_records.source_record_id,
        person_identity.person_id,
        lead_records.source_system,
        lead_records.lead_created_at,
        lead_records.mql_at,
        lead_records.mql_criterion,
        lead_records.sql_at,
        lead_records.sql_criterion,
        lead_records.lead_source_value,
        coalesce(channels.channel, 'unmapped') as channel,
        lead_records.business_unit,
        lead_records.owner_user_id,
        lead_records.converted_opportunity_id
    from lead_records
    left join person_identity
        on
            lead_records.source_table = person_identity.source_table
            and lead_records.source_record_id = person_identity.source_record_id
    left join channels
        on
            lead_records.source_system = channels.source_system
            and lower(lead_records.lead_source_value) = lower(channels.source_value)
)

select * from final
