-- The MQL response SLA (リード受領後の対応時間): one row per MQL with the first inside-sales
-- activity at or after the MQL handoff, i.e. the first completed Salesforce task of a type
-- in var sla_activity_types (call, email) logged on one of the person's leads or contacts.
-- Response time is measured on two clocks: calendar hours, and Japanese business hours
-- (int_days_business_clock). is_sla_met reads the clock chosen by var sla_clock against
-- var sla_response_hours; it stays null while an unanswered MQL is not yet due.
{%- set sla_seconds = var('sla_response_hours') * 3600 %}
{%- set business_clock = var('sla_clock') == 'business_hours' %}
{%- set seconds_to_clock_end = 'business_seconds_to_clock_end' if business_clock else 'calendar_seconds_to_clock_end' %}
{%- set response_hours = 'sla_business_hours' if business_clock else 'sla_response_hours' %}
with

funnel as (
    select * from {{ ref('int_lead_funnel_stages') }}
),

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

business_clock as (
    select * from {{ ref('int_days_business_clock') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

mqls as (
    select
        person_id,
        mql_at
    from funnel
    where mql_at is not null
),

completed_activities as (
    select *
    from tasks
    where
        is_completed
        and task_type in ({{ sql_values_list(var('sla_activity_types')) }})
),

-- an activity belongs to the person of its lead or of its contact
response_activities as (
    select
        person_identity.person_id,
        completed_activities.task_id,
        completed_activities.owner_user_id,
        completed_activities.created_at
    from completed_activities
    inner join person_identity
        on
            completed_activities.lead_id = person_identity.source_record_id
            and person_identity.source_table = 'salesforce.lead'
    union all
    select
        person_identity.person_id,
        completed_activities.task_id,
        completed_activities.owner_user_id,
        completed_activities.created_at
    from completed_activities
    inner join person_identity
        on
            completed_activities.contact_id = person_identity.source_record_id
            and person_identity.source_table = 'salesforce.contact'
),

ranked_responses as (
    select
        mqls.person_id,
        response_activities.task_id,
        response_activities.owner_user_id,
        response_activities.created_at,
        row_number() over (
            partition by mqls.person_id
            order by
                response_activities.created_at,
                response_activities.task_id
        ) as response_rank
    from mqls
    inner join response_activities
        on
            mqls.person_id = response_activities.person_id
            and mqls.mql_at <= response_activities.created_at
),

first_responses as (
    select
        mqls.person_id,
        mqls.mql_at,
        ranked_responses.task_id as first_response_task_id,
        ranked_responses.owner_user_id as first_response_user_id,
        ranked_responses.created_at as first_response_at,
        -- the end of the as-of day: how far the clock has run for an unanswered MQL
        cast({{ dbt.dateadd('day', 1, 'reporting_period.as_of_date') }} as {{ dbt.type_timestamp() }})
            as clock_end_at
    from mqls
    cross join reporting_period
    left join ranked_responses
        on
            mqls.person_id = ranked_responses.person_id
            and ranked_responses.response_rank = 1
),

-- the three moments each MQL needs a business-clock reading for, one row each
clock_points as (
    select
        person_id,
        'mql' as point_name,
        mql_at as point_at
    from first_responses
    union all
    select
        person_id,
        'response' as point_name,
        first_response_at as point_at
    from first_responses
    where first_response_at is not null
    union all
    select
        person_id,
        'clock_end' as point_name,
        clock_end_at as point_at
    from first_responses
),

-- business seconds elapsed up to a moment: those of the days before, plus the part of the
-- moment's own business day that has passed
clock_readings as (
    select
        clock_points.person_id,
        clock_points.point_name,
        business_clock.business_seconds_before_day
        + case
            when
                {{ dbt.datediff(
                    'cast(business_clock.calendar_date as ' ~ dbt.type_timestamp() ~ ')',
                    'clock_points.point_at',
                    'second'
                ) }} - business_clock.business_day_start_second
                < 0
                then 0
            when
                {{ dbt.datediff(
                    'cast(business_clock.calendar_date as ' ~ dbt.type_timestamp() ~ ')',
                    'clock_points.point_at',
                    'second'
                ) }} - business_clock.business_day_start_second
                > business_clock.business_seconds_in_day
                then business_clock.business_seconds_in_day
            else
                {{ dbt.datediff(
                    'cast(business_clock.calendar_date as ' ~ dbt.type_timestamp() ~ ')',
                    'clock_points.point_at',
                    'second'
                ) }} - business_clock.business_day_start_second
        end as business_seconds_at
    from clock_points
    inner join business_clock
        on cast(clock_points.point_at as date) = business_clock.calendar_date
),

readings as (
    select
        person_id,
        max(case when point_name = 'mql' then business_seconds_at end) as mql_business_seconds,
        max(case when point_name = 'response' then business_seconds_at end) as response_business_seconds,
        max(case when point_name = 'clock_end' then business_seconds_at end) as clock_end_business_seconds
    from clock_readings
    group by person_id
),

measured as (
    select
        first_responses.person_id,
        first_responses.mql_at,
        first_responses.first_response_at,
        first_responses.first_response_task_id,
        first_responses.first_response_user_id,
        (
            {{ dbt.datediff('first_responses.mql_at', 'first_responses.first_response_at', 'second') }}
        ) / 3600.0 as sla_response_hours,
        (readings.response_business_seconds - readings.mql_business_seconds) / 3600.0 as sla_business_hours,
        {{ dbt.datediff('first_responses.mql_at', 'first_responses.clock_end_at', 'second') }}
            as calendar_seconds_to_clock_end,
        readings.clock_end_business_seconds - readings.mql_business_seconds as business_seconds_to_clock_end
    from first_responses
    left join readings
        on first_responses.person_id = readings.person_id
),

final as (
    select
        person_id,
        mql_at,
        first_response_at,
        first_response_task_id,
        first_response_user_id,
        cast(sla_response_hours as {{ dbt.type_numeric() }}) as sla_response_hours,
        cast(sla_business_hours as {{ dbt.type_numeric() }}) as sla_business_hours,
        '{{ var("sla_clock") }}' as sla_clock,
        first_response_at is not null or {{ seconds_to_clock_end }} >= {{ sla_seconds }} as is_sla_due,
        case
            when first_response_at is not null then {{ response_hours }} <= {{ var('sla_response_hours') }}
            when {{ seconds_to_clock_end }} >= {{ sla_seconds }} then false
        end as is_sla_met
    from measured
)

select * from final
