-- Every raw CRM NPS answer, cast, with its row disposition: staged, quarantined (with the
-- reason), or removed as an exact repeat of an earlier row (the nightly export can write
-- the same row twice; copies differ at most in exported_at).
with

source as (
    {{ raw_source('crm', 'nps_responses') }}
),

parsed as (
    select
        nullif(trim(response_id), '') as nps_response_id,
        nullif(trim(customer_id), '') as customer_id,
        respondent_email,
        {{ normalize_email('respondent_email') }} as respondent_email_normalized,
        {{ normalize_text('survey_name') }} as survey_name,
        {{ parse_number('score', 'integer') }} as nps_score,
        {{ normalize_text('comment') }} as nps_comment,
        {{ parse_timestamp('responded_at') }} as responded_at_utc,
        {{ parse_timestamp('exported_at') }} as exported_at_utc,
        {{ is_unreadable('score', parse_number('score', 'integer')) }} as is_score_unreadable,
        {{ parse_number('score', 'numeric(18, 4)') }} as score_as_written,
        {{ is_unreadable('responded_at', parse_timestamp('responded_at')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'crm', 'nps_responses', ['exported_at']) }}
    from source
),

{{ staging_row_keys('parsed', 'nps_response_id', copies_ordered_by='exported_at_utc') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('nps_response_id') }}
            when customer_id is null then 'missing customer id'
            when is_score_unreadable then 'unparseable number'
            when nps_score is null then 'missing nps score'
            -- 6.5 is no answer on a 0-10 scale: it would be rounded into another category
            when score_as_written <> floor(score_as_written) then 'non-integer score'
            when nps_score not between {{ var('nps_score_min') }} and {{ var('nps_score_max') }}
                then 'nps score outside {{ var("nps_score_min") }}-{{ var("nps_score_max") }}'
            when is_timestamp_unreadable then 'unparseable timestamp'
            when responded_at_utc is null then 'missing response timestamp'
            -- an answer cannot postdate the export that carried it: a clock or typing error,
            -- which would otherwise move the as-of date and every "latest month" forward
            when responded_at_utc > exported_at_utc then 'timestamp after export'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('crm', 'nps_responses', 'nps_response_id') }},
        nps_response_id,
        customer_id,
        respondent_email,
        respondent_email_normalized,
        survey_name,
        nps_score,
        nps_comment,
        {{ to_jst('responded_at_utc') }} as responded_at,
        responded_at_utc,
        exported_at_utc
    from checked
)

select * from final
