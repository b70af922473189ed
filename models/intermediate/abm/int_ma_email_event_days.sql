-- HubSpot marketing email events counted per recipient address, JST date and event type:
-- the daily MA event fact that grows with history (tens of millions of events for a few
-- years). Incremental: each run rebuilds only the days from the latest day already built
-- minus var incremental_lookback_days (late and deleted events within that window come out
-- as a full refresh gives them). No business var is read here, so changing one never needs
-- a full refresh; which event types count as engagement is decided downstream.
{{ config(
    materialized='incremental',
    incremental_strategy='window_replace',
    incremental_window_column='activity_date',
    on_schema_change='fail',
) }}

with

email_events as (
    select * from {{ ref('stg_hubspot__email_events') }}
),

events_in_window as (
    select
        recipient_email_normalized,
        cast(occurred_at as date) as activity_date,
        event_type
    from email_events
    where {{ incremental_window_filter('cast(occurred_at as date)') }}
),

final as (
    select
        recipient_email_normalized,
        activity_date,
        event_type,
        count(*) as event_count
    from events_in_window
    group by
        recipient_email_normalized,
        activity_date,
        event_type
)

select * from final
