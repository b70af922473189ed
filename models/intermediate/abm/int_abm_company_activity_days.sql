-- MA engagement of every company: one row per company, JST activity date and activity type,
-- with the number of activities. Form submissions ('form_<form_type>', form types without a
-- weight in var abm_engagement_weights → 'form_other') and marketing email opens / clicks
-- count on their own date; a HubSpot contact's visit and page-view counters are lifetime
-- totals without dates, so they are spread evenly over the contact's active span (creation
-- to last visit) and the counts of those two types are expected values, not integers
-- (docs/abm.md). Forms and emails are read as daily counts from the incremental MA facts
-- int_ma_form_submission_days and int_ma_email_event_days, so a daily run does not
-- re-aggregate every event of the history.
-- People reach their company through identity resolution (int_person_company); activity of
-- people without a company is not account engagement and is left out. Counts are fixed-point
-- (var abm_engagement_decimal_places) so that sums do not depend on the order in which a
-- parallel engine adds them: a rebuild of the same data gives the same figures.
{%- set weighted_activity_types = var('abm_engagement_weights').keys() | list %}

with

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

form_submission_days as (
    select * from {{ ref('int_ma_form_submission_days') }}
),

email_event_days as (
    select * from {{ ref('int_ma_email_event_days') }}
),

person_records as (
    select * from {{ ref('int_person_records') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

person_company as (
    select * from {{ ref('int_person_company') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

contact_companies as (
    select
        person_identity.source_record_id as hubspot_contact_id,
        person_company.company_id
    from person_identity
    inner join person_company
        on person_identity.person_id = person_company.person_id
    where
        person_identity.source_table = 'hubspot.contact'
        and person_company.company_id is not null
),

-- An email address belongs to one person (email is an identity link); should two people
-- still share it, the smallest company_id wins so that an event is never counted twice.
email_companies as (
    select
        person_records.email_normalized,
        min(person_company.company_id) as company_id
    from person_records
    inner join person_identity
        on person_records.record_key = person_identity.record_key
    inner join person_company
        on person_identity.person_id = person_company.person_id
    where
        person_records.email_normalized is not null
        and person_company.company_id is not null
    group by person_records.email_normalized
),

-- The counters are lifetime totals: they are spread evenly over the contact's active span
-- (creation to last visit, both JST dates; the last-visit day alone when the creation is
-- unknown or later), one share per calendar month of the span, dated at the middle of the
-- month's part of the span. A month's share = count × days of the span in that month /
-- days of the span, so the shares add up to the counter again.
contact_spans as (
    select
        contact_companies.company_id,
        hubspot_contacts.visit_count,
        hubspot_contacts.page_view_count,
        cast(hubspot_contacts.last_visit_at as date) as last_visit_date,
        case
            when
                hubspot_contacts.created_at is null
                or cast(hubspot_contacts.created_at as date) > cast(hubspot_contacts.last_visit_at as date)
                then cast(hubspot_contacts.last_visit_at as date)
            else cast(hubspot_contacts.created_at as date)
        end as first_active_date
    from hubspot_contacts
    inner join contact_companies
        on hubspot_contacts.hubspot_contact_id = contact_companies.hubspot_contact_id
    where
        hubspot_contacts.last_visit_at is not null
        and (hubspot_contacts.visit_count > 0 or hubspot_contacts.page_view_count > 0)
),

contact_span_months as (
    select
        contact_spans.company_id,
        contact_spans.visit_count,
        contact_spans.page_view_count,
        contact_spans.first_active_date,
        contact_spans.last_visit_date,
        case
            when months.month_start_date > contact_spans.first_active_date then months.month_start_date
            else contact_spans.first_active_date
        end as overlap_start_date,
        case
            when months.month_end_date < contact_spans.last_visit_date then months.month_end_date
            else contact_spans.last_visit_date
        end as overlap_end_date
    from contact_spans
    inner join months
        on
            contact_spans.last_visit_date >= months.month_start_date
            and contact_spans.first_active_date <= months.month_end_date
),

contact_span_month_days as (
    select
        company_id,
        visit_count,
        page_view_count,
        overlap_start_date,
        {{ dbt.datediff(
            'first_active_date',
            'last_visit_date',
            'day'
        ) }} + 1 as span_days,
        {{ dbt.datediff(
            'overlap_start_date',
            'overlap_end_date',
            'day'
        ) }} + 1 as overlap_days
    from contact_span_months
),

counter_shares as (
    select
        company_id,
        visit_count,
        page_view_count,
        cast(
            {{ dbt.dateadd('day', 'cast(floor((overlap_days - 1) / 2) as integer)', 'overlap_start_date') }}
            as date
        ) as activity_date,
        cast(overlap_days as {{ kpi_type_double() }}) / span_days as span_share
    from contact_span_month_days
),

visit_activities as (
    select
        company_id,
        activity_date,
        'web_visit' as activity_type,
        cast(visit_count * span_share as numeric(18, {{ var('abm_engagement_decimal_places') }})) as activity_count
    from counter_shares
    where visit_count > 0
),

page_view_activities as (
    select
        company_id,
        activity_date,
        'page_view' as activity_type,
        cast(page_view_count * span_share as numeric(18, {{ var('abm_engagement_decimal_places') }})) as activity_count
    from counter_shares
    where page_view_count > 0
),

company_form_submissions as (
    select
        contact_companies.company_id,
        form_submission_days.activity_date,
        {{ dbt.concat(["'form_'", 'form_submission_days.form_type']) }} as form_activity_type,
        form_submission_days.submission_count
    from form_submission_days
    inner join contact_companies
        on form_submission_days.hubspot_contact_id = contact_companies.hubspot_contact_id
),

form_activities as (
    select
        company_id,
        activity_date,
        case
            when form_activity_type in ({{ sql_values_list(weighted_activity_types) }}) then form_activity_type
            else 'form_other'
        end as activity_type,
        cast(submission_count as numeric(18, {{ var('abm_engagement_decimal_places') }})) as activity_count
    from company_form_submissions
),

email_activities as (
    select
        email_companies.company_id,
        email_event_days.activity_date,
        {{ dbt.concat(["'email_'", 'lower(email_event_days.event_type)']) }} as activity_type,
        cast(email_event_days.event_count as numeric(18, {{ var('abm_engagement_decimal_places') }})) as activity_count
    from email_event_days
    inner join email_companies
        on email_event_days.recipient_email_normalized = email_companies.email_normalized
    where lower(email_event_days.event_type) in ('open', 'click')
),

activities as (
    select * from visit_activities
    union all
    select * from page_view_activities
    union all
    select * from form_activities
    union all
    select * from email_activities
),

final as (
    select
        company_id,
        activity_date,
        activity_type,
        sum(activity_count) as activity_count
    from activities
    group by
        company_id,
        activity_date,
        activity_type
)

select * from final
