-- Every raw HubSpot marketing email event, cast, with its row disposition: staged,
-- quarantined (with the reason) or removed as an exact re-delivery of an earlier copy (the
-- connector can deliver the same event twice; copies differ only in _fivetran_synced).
-- Incremental (docs/performance.md): a run re-reads only the raw rows dated from the window
-- start on (the latest staged day minus var incremental_lookback_days; copies of one event
-- share its date, so they are always judged together) and replaces those days.
{{ config(
    materialized='incremental',
    incremental_strategy='window_replace',
    incremental_window_column='occurred_at_utc',
    incremental_window_rows="row_disposition = 'staged'",
    on_schema_change='fail',
) }}

with

source as (
    {{ raw_source('hubspot', 'email_event') }}
),

event_types as (
    {{ picklist_values('hubspot_email_event_type') }}
),

-- The rows are keyed on the raw columns before the other columns are parsed: the sort by key
-- (the biggest cost of the largest raw table) then carries the raw text once, not twice.
raw_keys as (
    select
        *,
        nullif(trim(id), '') as email_event_id,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ raw_row_fingerprint('source', 'hubspot', 'email_event', ['_fivetran_synced'], carry_raw_row=false) }}
    from source
    where {{ incremental_window_filter(parse_timestamp('created')) }}
),

{{ staging_row_keys('raw_keys', 'email_event_id', copies_ordered_by='synced_at_utc') }},

parsed as (
    select
        email_event_id,
        upper({{ normalize_text('type') }}) as event_type_raw,
        recipient as recipient_email,
        {{ normalize_email('recipient') }} as recipient_email_normalized,
        nullif(trim(email_campaign_id), '') as email_campaign_id,
        {{ parse_timestamp('created') }} as occurred_at_utc,
        synced_at_utc,
        {{ is_unreadable('created', parse_timestamp('created')) }} as is_timestamp_unreadable,
        {{ raw_row_carried('keyed', 'hubspot', 'email_event') }} as raw_row,
        raw_row_hash,
        is_exact_duplicate,
        is_soft_deleted,
        is_key_shared,
        copy_number_of_key
    from keyed
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

checked as (
    select
        *,
        case
            {{ staging_key_checks('email_event_id') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when occurred_at_utc is null then 'missing event timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when occurred_at_utc > synced_at_utc then 'timestamp after export'
            when occurred_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
        end as quarantine_reason_found
    from mapped
),

final as (
    select
        {{ staging_row_disposition('hubspot', 'email_event', 'email_event_id') }},
        email_event_id,
        event_type,
        event_type_raw,
        recipient_email,
        recipient_email_normalized,
        email_campaign_id,
        {{ to_jst('occurred_at_utc') }} as occurred_at,
        occurred_at_utc,
        synced_at_utc
    from checked
)

select * from final
