-- Every link found between two person records, with the rule that made it: the audit trail
-- of identity resolution (one row per linked pair and rule). Rules, strongest first:
--   sync_id          HubSpot contact → the Salesforce lead it was synced to (salesforcelead id)
--   lead_conversion  Salesforce lead → the contact it was converted into
--   email            records sharing a normalised email (also duplicates within one system):
--                    each record is linked to the group's first record (a star, not every
--                    pair, so that the link count grows with the records, not their square)
-- A link is kept only when both records exist (are staged).
with

records as (
    select * from {{ ref('int_person_records') }}
),

hubspot_contacts as (
    select * from records
    where source_table = 'hubspot.contact'
),

salesforce_leads as (
    select * from records
    where source_table = 'salesforce.lead'
),

salesforce_contacts as (
    select * from records
    where source_table = 'salesforce.contact'
),

sync_id_links as (
    select
        hubspot_contacts.record_key,
        salesforce_leads.record_key as linked_record_key,
        'sync_id' as match_method,
        1 as match_priority
    from hubspot_contacts
    inner join salesforce_leads
        on hubspot_contacts.synced_lead_id = salesforce_leads.source_record_id
),

lead_conversion_links as (
    select
        salesforce_leads.record_key,
        salesforce_contacts.record_key as linked_record_key,
        'lead_conversion' as match_method,
        2 as match_priority
    from salesforce_leads
    inner join salesforce_contacts
        on salesforce_leads.converted_contact_id = salesforce_contacts.source_record_id
),

email_groups as (
    select
        record_key,
        min(record_key) over (partition by email_normalized) as group_first_record_key
    from records
    where email_normalized is not null
),

email_links as (
    select
        record_key,
        group_first_record_key as linked_record_key,
        'email' as match_method,
        3 as match_priority
    from email_groups
    where record_key <> group_first_record_key
),

all_links as (
    select * from sync_id_links
    union all
    select * from lead_conversion_links
    union all
    select * from email_links
),

final as (
    select
        all_links.record_key,
        all_links.linked_record_key,
        all_links.match_method,
        all_links.match_priority,
        left_records.source_table,
        left_records.source_record_id,
        right_records.source_table as linked_source_table,
        right_records.source_record_id as linked_source_record_id
    from all_links
    inner join records as left_records
        on all_links.record_key = left_records.record_key
    inner join records as right_records
        on all_links.linked_record_key = right_records.record_key
)

select * from final
