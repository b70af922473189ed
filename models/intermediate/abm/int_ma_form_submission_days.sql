-- HubSpot form submissions counted per contact, JST date and form type: the daily MA form
-- fact. Incremental like int_ma_email_event_days (window of var incremental_lookback_days
-- days before the latest day built); which form types carry an ABM weight is decided
-- downstream, so changing a weight never needs a full refresh.
{{ config(
    materialized='incremental',
    incremental_strategy='window_replace',
    incremental_window_column='activity_date',
    on_schema_change='fail',
) }}

with

form_submissions as (
    select * from {{ ref('stg_hubspot__form_submissions') }}
),

submissions_in_window as (
    select
        hubspot_contact_id,
        cast(submitted_at as date) as activity_date,
        form_type
    from form_submissions
    where {{ incremental_window_filter('cast(submitted_at as date)') }}
),

final as (
    select
        hubspot_contact_id,
        activity_date,
        form_type,
        count(*) as submission_count
    from submissions_in_window
    group by
        hubspot_contact_id,
        activity_date,
        form_type
)

select * from final
