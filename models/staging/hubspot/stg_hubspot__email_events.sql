-- HubSpot marketing email events that passed every staging check, re-deliveries removed: one row per event.
with

email_events as (
    select * from {{ ref('base_hubspot__email_events') }}
),

final as (
    select
        email_event_id,
        event_type,
        event_type_raw,
        recipient_email,
        recipient_email_normalized,
        email_campaign_id,
        occurred_at,
        occurred_at_utc,
        synced_at_utc
    from email_events
    where row_disposition = 'staged'
)

select * from final
