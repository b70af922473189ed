-- Every raw HubSpot form submission, cast, with its form type (download / inquiry /
-- webinar) mapped from the form title through the seed hubspot_form_types, and its row
-- disposition: staged or quarantined (with the reason). Submissions are never deleted.
-- Incremental like base_hubspot__email_events: a run re-reads only the raw rows dated from
-- the window start on and replaces those days.
{{ config(
    materialized='incremental',
    incremental_strategy='window_replace',
    incremental_window_column='submitted_at_utc',
    incremental_window_rows="row_disposition = 'staged'",
    on_schema_change='fail',
) }}

with

source as (
    {{ raw_source('hubspot', 'contact_form_submission') }}
),

form_types as (
    select * from {{ ref('hubspot_form_types') }}
),

parsed as (
    select
        nullif(trim(contact_id), '') as hubspot_contact_id,
        nullif(trim(conversion_id), '') as conversion_id,
        nullif(trim(form_id), '') as form_id,
        {{ normalize_text('title') }} as form_title,
        nullif(trim(page_url), '') as page_url,
        {{ parse_timestamp(adapter.quote('timestamp')) }} as submitted_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable(adapter.quote('timestamp'), parse_timestamp(adapter.quote('timestamp'))) }}
            as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'hubspot', 'contact_form_submission') }}
    from source
    where {{ incremental_window_filter(parse_timestamp(adapter.quote('timestamp'))) }}
),

form_titles as (
    select distinct form_title
    from parsed
    where form_title is not null
),

-- Every seed pattern a title matches; the lowest match_priority wins.
title_matches as (
    select
        form_titles.form_title,
        form_types.form_type,
        row_number() over (
            partition by form_titles.form_title
            order by form_types.match_priority, form_types.title_pattern
        ) as match_rank
    from form_titles
    inner join form_types
        on (
            form_types.match_type = 'exact'
            and lower(form_titles.form_title) = lower(form_types.title_pattern)
        )
        or (
            form_types.match_type = 'contains'
            and {{ dbt.position('lower(form_types.title_pattern)', 'lower(form_titles.form_title)') }} > 0
        )
),

mapped as (
    select
        parsed.*,
        -- the type only labels the submission: a title no pattern matches is kept as 'other'
        coalesce(title_matches.form_type, 'other') as form_type,
        case
            when parsed.hubspot_contact_id is not null and parsed.conversion_id is not null
                then {{ dbt.concat(['parsed.hubspot_contact_id', "'-'", 'parsed.conversion_id']) }}
        end as form_submission_id
    from parsed
    left join title_matches
        on
            parsed.form_title = title_matches.form_title
            and title_matches.match_rank = 1
),

{{ staging_row_keys('mapped', 'form_submission_id') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('form_submission_id') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when submitted_at_utc is null then 'missing submission timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when submitted_at_utc > synced_at_utc then 'timestamp after export'
            when submitted_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('hubspot', 'contact_form_submission', 'form_submission_id') }},
        form_submission_id,
        hubspot_contact_id,
        conversion_id,
        form_id,
        form_title,
        form_type,
        page_url,
        {{ to_jst('submitted_at_utc') }} as submitted_at,
        submitted_at_utc,
        synced_at_utc
    from checked
)

select * from final
