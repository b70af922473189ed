-- CRM NPS answers that passed every staging check, export repeats removed: one row per response.
with

nps_responses as (
    select * from {{ ref('base_crm__nps_responses') }}
),

final as (
    select
        raw_row_id,
        nps_response_id,
        customer_id,
        respondent_email,
        respondent_email_normalized,
        survey_name,
        nps_score,
        nps_comment,
        responded_at,
        responded_at_utc,
        exported_at_utc
    from nps_responses
    where row_disposition = 'staged'
)

select * from final
