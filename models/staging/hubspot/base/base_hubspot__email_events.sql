-- Every raw HubSpot marketing email event, cast, with its row disposition: staged,
-- quarantined (with the reason) or removed as an exact re-delivery of an earlier copy (the
-- connector can deliver the same event twice; copies differ only in _fivetran_synced).
with

source as (
    {{ raw_source('hubspot', 'email_event') }}
),

event_types as (
    {{ picklist_values('hubspot_email_event_type') }}
),

parsed as (
    select
        nullif(trim(id), '') as email_event_id,
        upper({{ normalize_text('type') }}) as event_type_raw,
        recipient as recipient_email,
        {{ normalize_email('recipient') }} as recipient_email_normalized,
        nullif(trim(email_campaign_id), '') as email_campaign_id,
        {{ parse_timestamp('created') }} as occurred_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('created', parse_timestamp('created')) }} as is_timestamp_unreadable,
        {{ raw_row_json('source', 'hubspot', 'email_event') }} as raw_row_json,
        {{ raw_row_json('source', 'hubspot', 'email_event', exclude=['_fivetran_synced']) }} as raw_content_json
    from source
),

mapped as (
    select
        parsed.*,
        -- the type only labels the event: one we do not know is kept as 'other'
        coalesce(event_types.event_type, 'other') as event_type
    from parsed
    left join event_types
        on parsed.event_type_raw = event_types.event_type_value
),

deduplicated as (
    select
        *,
        {{ dbt.hash('raw_row_json') }} as raw_row_hash,
        row_number() over (partition by raw_row_json order by raw_row_json) as raw_copy_number,
        row_number() over (
            partition by raw_content_json
            order by synced_at_utc, raw_row_json
        ) > 1 as is_exact_duplicate
    from mapped
),

keyed as (
    select
        *,
        sum(case when not is_exact_duplicate then 1 else 0 end)
            over (partition by email_event_id) as live_rows_with_same_id
    from deduplicated
),

checked as (
    select
        *,
        case
            when is_exact_duplicate then null
            when email_event_id is null then 'missing primary key'
            when live_rows_with_same_id > 1 then 'duplicate primary key'
            when is_timestamp_unreadable then 'unparseable timestamp'
            when occurred_at_utc is null then 'missing event timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when occurred_at_utc > synced_at_utc then 'timestamp after export'
            when occurred_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ dbt.hash(dbt.concat(['raw_row_hash', "'|'", dbt.cast('raw_copy_number', dbt.type_string())])) }}
            as raw_row_id,
        'hubspot' as source_system,
        'email_event' as source_table,
        coalesce(email_event_id, raw_row_hash) as source_row_id,
        email_event_id,
        event_type,
        event_type_raw,
        recipient_email,
        recipient_email_normalized,
        email_campaign_id,
        {{ to_jst('occurred_at_utc') }} as occurred_at,
        occurred_at_utc,
        synced_at_utc,
        case
            when is_exact_duplicate then 'removed_exact_duplicate'
            when quarantine_reason_found is not null then 'quarantined'
            else 'staged'
        end as row_disposition,
        quarantine_reason_found as quarantine_reason,
        raw_row_json,
        raw_row_hash
    from checked
)

select * from final
