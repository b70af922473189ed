-- HubSpot form submissions that passed every staging check: one row per submission, typed download / inquiry / webinar.
with

form_submissions as (
    select * from {{ ref('base_hubspot__form_submissions') }}
),

final as (
    select
        form_submission_id,
        hubspot_contact_id,
        conversion_id,
        form_id,
        form_title,
        form_type,
        page_url,
        submitted_at,
        submitted_at_utc,
        synced_at_utc
    from form_submissions
    where row_disposition = 'staged'
)

select * from final
