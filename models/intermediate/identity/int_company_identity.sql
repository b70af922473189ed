-- Company identity: one row per company record of every system with the company it belongs
-- to. Records with a known 法人番号 start with the label of that number ('0|<法人番号>');
-- every other record starts with its own label ('1|<record key>') and joins a company
-- through int_company_links by min-label propagation, in three stages of growing evidence
-- (explicit ids, then + web domain, then + company name), each stage var
-- identity_propagation_passes passes long. A record holding a numbered label (its own or
-- one it adopted) is pinned: it never takes another label. So no company ever holds two
-- different 法人番号, and a record reachable by a stronger rule is settled before a weaker
-- rule is looked at (numbered labels sort first, so a record next to a numbered company
-- joins it rather than an unnumbered cluster). company_id is the hash of the cluster's anchor (its smallest
-- record key). match_method says how each record was attached: its strongest link to
-- another record of the same company (corporate_number > sfdc_link > domain > name), or
-- 'self' for the anchor.
{%- set passes = var('identity_propagation_passes') %}
{%- set numbered_label_prefix = '0|' %}
{%- set unnumbered_label_prefix = '1|' %}
{%- set stage_match_methods = [
    ['corporate_number', 'sfdc_link'],
    ['corporate_number', 'sfdc_link', 'domain'],
    ['corporate_number', 'sfdc_link', 'domain', 'name'],
] %}
with

records as (
    select * from {{ ref('int_company_records') }}
),

links as (
    select * from {{ ref('int_company_links') }}
),

start_labels as (
    select
        record_key,
        case
            when corporate_number is not null
                then {{ dbt.concat(["'" ~ numbered_label_prefix ~ "'", 'corporate_number']) }}
            else {{ dbt.concat(["'" ~ unnumbered_label_prefix ~ "'", 'record_key']) }}
        end as cluster_label
    from records
),

-- a record with its own 法人番号 never moves, so only the others need their links
directed_links as (
    select
        links.record_key,
        links.linked_record_key as neighbor_key,
        links.match_method
    from links
    inner join records
        on links.record_key = records.record_key
    where records.corporate_number is null
    union all
    select
        links.linked_record_key as record_key,
        links.record_key as neighbor_key,
        links.match_method
    from links
    inner join records
        on links.linked_record_key = records.record_key
    where records.corporate_number is null
),

{% for match_methods in stage_match_methods %}
    stage_{{ loop.index }}_neighbors as (
        select
            record_key,
            record_key as neighbor_key
        from records
        union all
        select
            record_key,
            neighbor_key
        from directed_links
        where match_method in ({{ sql_values_list(match_methods) }})
    ),

    {{ identity_min_label_passes(
        'start_labels' if loop.first else 'stage_' ~ (loop.index - 1) ~ '_labels_' ~ passes,
        'stage_' ~ loop.index ~ '_neighbors',
        'stage_' ~ loop.index ~ '_labels',
        passes,
        pinned_label_prefix=numbered_label_prefix
    ) }}
{% endfor %}

clustered as (
    select
        records.record_key,
        records.source_system,
        records.source_table,
        records.source_record_id,
        labels.cluster_label,
        min(records.record_key) over (partition by labels.cluster_label) as anchor_record_key,
        max(records.corporate_number) over (partition by labels.cluster_label) as cluster_corporate_number
    from records
    inner join stage_{{ stage_match_methods | length }}_labels_{{ passes }} as labels
        on records.record_key = labels.record_key
),

{{ identity_ranked_attachments('links', 'clustered') }}

final as (
    select
        clustered.source_system,
        clustered.source_table,
        clustered.source_record_id,
        {{ dbt.hash('clustered.anchor_record_key') }} as company_id,
        coalesce(attachments.match_method, 'self') as match_method,
        matched_records.source_table as matched_to_source_table,
        matched_records.source_record_id as matched_to_record_id,
        clustered.record_key,
        clustered.anchor_record_key,
        clustered.cluster_corporate_number,
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
