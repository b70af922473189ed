-- Person identity: one row per person record of every system with the person it belongs
-- to. A person is a connected component of int_person_links (sync id, lead conversion,
-- email), found by min-label propagation over a fixed number of passes. The cluster's
-- anchor is its smallest record key ('<source_table>:<source_record_id>'); person_id is the
-- hash of the anchor, so it stays the same as long as the anchor record stays in the cluster.
-- match_method says how each record was attached: the strongest link it has to another
-- record of its person (sync_id > lead_conversion > email), or 'self' for the anchor.
with

records as (
    select * from {{ ref('int_person_records') }}
),

links as (
    select * from {{ ref('int_person_links') }}
),

start_labels as (
    select
        record_key,
        record_key as cluster_label
    from records
),

neighbors as (
    select
        record_key,
        record_key as neighbor_key
    from records
    union all
    select
        record_key,
        linked_record_key as neighbor_key
    from links
    union all
    select
        linked_record_key as record_key,
        record_key as neighbor_key
    from links
),

{{ identity_min_label_passes('start_labels', 'neighbors', 'person_labels', var('identity_propagation_passes')) }}

clustered as (
    select
        records.record_key,
        records.source_system,
        records.source_table,
        records.source_record_id,
        labels.cluster_label,
        min(records.record_key) over (partition by labels.cluster_label) as anchor_record_key
    from records
    inner join person_labels_{{ var('identity_propagation_passes') }} as labels
        on records.record_key = labels.record_key
),

{{ identity_ranked_attachments('links', 'clustered') }}

final as (
    select
        clustered.source_system,
        clustered.source_table,
        clustered.source_record_id,
        {{ dbt.hash('clustered.anchor_record_key') }} as person_id,
        coalesce(attachments.match_method, 'self') as match_method,
        matched_records.source_table as matched_to_source_table,
        matched_records.source_record_id as matched_to_record_id,
        clustered.record_key,
        clustered.anchor_record_key,
        count(*) over (partition by clustered.anchor_record_key) as cluster_record_count
    from clustered
    left join ranked_attachments as attachments
        on
            clustered.record_key = attachments.record_key
            and attachments.attachment_rank = 1
    left join records as matched_records
        on attachments.matched_record_key = matched_records.record_key
)

select * from final
