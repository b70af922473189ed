-- The MQL response SLA (リード受領後の対応時間): one row per MQL with the first inside-sales
-- activity at or after the MQL handoff, i.e. the first completed Salesforce task of a type
-- in var sla_activity_types (call, email) logged on one of the person's leads or contacts.
-- Response time is measured on three clocks: calendar hours; business days (24 hours a day
-- on business days, the clock stopped on weekends, public holidays and 年末年始); and
-- Japanese business hours (9-18 on business days; int_days_business_clock). The SLA hours
-- (settings.lead_handoff_sla_hours) and the clock (the `basis` of the lead_handoff_sla_rate
-- KPI) come from kpi_tree.yml; each clock's verdict is kept (is_sla_met_<clock>) and
-- is_sla_met reads the chosen one. A verdict stays null while an unanswered MQL is not due.
-- is_kpi_mql: whether the MQL is in the population of the MQL KPIs (their basis), which the
-- SLA KPI counts too.
{%- set clocks = ['calendar', 'business_days', 'business_hours'] %}
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

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
),

-- The SLA of kpi_tree.yml: its hours and its clock (business_days, kpi_config's default,
-- when the tree has no SLA KPI).
sla_setting as (
    select
        kpi_settings.lead_handoff_sla_hours as sla_hours,
        coalesce(sla_nodes.basis, 'business_days') as sla_clock
    from kpi_settings
    left join kpi_nodes as sla_nodes
        on sla_nodes.node_id = 'lead_handoff_sla_rate'
),

mqls as (
    select
        person_id,
        mql_at
    from funnel
    where mql_at is not null
),

-- The MQLs the KPIs count (the `basis` of monthly_mql_count, which mql_to_opportunity_rate
-- shares: ma_handoff = people who came in through MA, all_leads = also leads created
-- directly in SFA): the SLA's population, and fct_lead_funnel.is_kpi_mql.
mql_population as (
    select
        funnel.person_id as population_person_id,
        funnel.lead_origin,
        coalesce(mql_nodes.basis, 'ma_handoff') = 'all_leads' or funnel.lead_origin = 'ma' as is_kpi_mql
    from funnel
    left join kpi_nodes as mql_nodes
        on mql_nodes.node_id = 'monthly_mql_count'
    where funnel.mql_at is not null
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

-- seconds elapsed up to a moment on the two business clocks: those of the days before, plus
-- the part of the moment's own day that has passed (business hours: within 9-18; business
-- days: the whole day when it is a business day)
clock_offsets as (
    select
        clock_points.person_id,
        clock_points.point_name,
        business_clock.is_business_day,
        business_clock.business_seconds_before_day,
        business_clock.business_days_before_day,
        business_clock.business_seconds_in_day,
        {{ dbt.datediff(
            'cast(business_clock.calendar_date as ' ~ dbt.type_timestamp() ~ ')',
            'clock_points.point_at',
            'second'
        ) }} as seconds_into_day,
        {{ dbt.datediff(
            'cast(business_clock.calendar_date as ' ~ dbt.type_timestamp() ~ ')',
            'clock_points.point_at',
            'second'
        ) }} - business_clock.business_day_start_second as seconds_after_day_start
    from clock_points
    inner join business_clock
        on cast(clock_points.point_at as date) = business_clock.calendar_date
),

clock_readings as (
    select
        person_id,
        point_name,
        business_seconds_before_day
        + case
            when seconds_after_day_start < 0 then 0
            when seconds_after_day_start > business_seconds_in_day then business_seconds_in_day
            else seconds_after_day_start
        end as business_seconds_at,
        business_days_before_day * 86400
        + case when is_business_day then seconds_into_day else 0 end as business_day_seconds_at
    from clock_offsets
),

readings as (
    select
        person_id,
        max(case when point_name = 'mql' then business_seconds_at end) as mql_business_seconds,
        max(case when point_name = 'response' then business_seconds_at end) as response_business_seconds,
        max(case when point_name = 'clock_end' then business_seconds_at end) as clock_end_business_seconds,
        max(case when point_name = 'mql' then business_day_seconds_at end) as mql_business_day_seconds,
        max(case when point_name = 'response' then business_day_seconds_at end) as response_business_day_seconds,
        max(case when point_name = 'clock_end' then business_day_seconds_at end) as clock_end_business_day_seconds
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
        ) / 3600.0 as calendar_hours,
        (readings.response_business_day_seconds - readings.mql_business_day_seconds) / 3600.0
            as business_days_hours,
        (readings.response_business_seconds - readings.mql_business_seconds) / 3600.0 as business_hours_hours,
        {{ dbt.datediff('first_responses.mql_at', 'first_responses.clock_end_at', 'second') }}
            as calendar_seconds_to_clock_end,
        readings.clock_end_business_day_seconds - readings.mql_business_day_seconds
            as business_days_seconds_to_clock_end,
        readings.clock_end_business_seconds - readings.mql_business_seconds as business_hours_seconds_to_clock_end
    from first_responses
    left join readings
        on first_responses.person_id = readings.person_id
),

-- each clock's verdict: due once answered or once the SLA time has run out on that clock
verdicts as (
    select
        measured.*,
        {%- for clock in clocks %}
            measured.first_response_at is not null
            or measured.{{ clock }}_seconds_to_clock_end >= sla_setting.sla_hours * 3600 as is_sla_due_{{ clock }},
            case
                when measured.first_response_at is not null then measured.{{ clock }}_hours <= sla_setting.sla_hours
                when measured.{{ clock }}_seconds_to_clock_end >= sla_setting.sla_hours * 3600 then false
            end as is_sla_met_{{ clock }},
        {%- endfor %}
        sla_setting.sla_clock,
        mql_population.lead_origin,
        mql_population.is_kpi_mql
    from measured
    cross join sla_setting
    inner join mql_population
        on measured.person_id = mql_population.population_person_id
),

final as (
    select
        person_id,
        mql_at,
        first_response_at,
        first_response_task_id,
        first_response_user_id,
        cast(calendar_hours as {{ dbt.type_numeric() }}) as sla_response_hours,
        cast(business_hours_hours as {{ dbt.type_numeric() }}) as sla_business_hours,
        cast(business_days_hours as {{ dbt.type_numeric() }}) as sla_business_day_hours,
        {%- for clock in clocks %}
            is_sla_due_{{ clock }},
            is_sla_met_{{ clock }},
        {%- endfor %}
        sla_clock,
        lead_origin,
        is_kpi_mql,
        case sla_clock
            {%- for clock in clocks %}
                when '{{ clock }}' then is_sla_due_{{ clock }}
            {%- endfor %}
        end as is_sla_due,
        case sla_clock
            {%- for clock in clocks %}
                when '{{ clock }}' then is_sla_met_{{ clock }}
            {%- endfor %}
        end as is_sla_met
    from verdicts
)

select * from final
