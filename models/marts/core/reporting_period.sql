-- The period the whole warehouse reports on: one row. The as-of date is the latest business
-- event found in the staged data (JST), never the wall clock, so that a rebuild of the same
-- data gives the same figures; var as_of_date overrides it. Dates that can lie in the future
-- by design (contract end dates, expected close dates) do not count as events.
with

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

hubspot_form_submissions as (
    select * from {{ ref('stg_hubspot__form_submissions') }}
),

salesforce_leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

salesforce_opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

salesforce_tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

crm_contracts as (
    select * from {{ ref('stg_crm__contracts') }}
),

crm_nps_responses as (
    select * from {{ ref('stg_crm__nps_responses') }}
),

finance_pl_monthly as (
    select * from {{ ref('stg_finance__pl_monthly') }}
),

event_dates as (
    select cast(created_at as date) as event_date from hubspot_contacts
    union all
    select cast(submitted_at as date) as event_date from hubspot_form_submissions
    union all
    select cast(created_at as date) as event_date from salesforce_leads
    union all
    select cast(created_at as date) as event_date from salesforce_opportunities
    union all
    select cast(created_at as date) as event_date from salesforce_tasks
    union all
    select cast(responded_at as date) as event_date from crm_nps_responses
),

-- History that starts before the first logged event (contracts of long-standing customers,
-- closed P&L months) widens the calendar backwards but never moves the as-of date.
history_dates as (
    select event_date from event_dates
    union all
    select start_date as event_date from crm_contracts
    union all
    select month_start_date as event_date from finance_pl_monthly
),

event_bounds as (
    select max(event_date) as latest_event_date
    from event_dates
),

history_bounds as (
    select min(event_date) as first_data_date
    from history_dates
),

as_of as (
    select
        history_bounds.first_data_date,
        event_bounds.latest_event_date,
        {% if var('as_of_date') -%}
            cast('{{ var("as_of_date") }}' as date) as as_of_date,
            'var' as as_of_date_source
        {%- else -%}
            event_bounds.latest_event_date as as_of_date,
            'data' as as_of_date_source
        {%- endif %}
    from event_bounds
    cross join history_bounds
),

final as (
    select
        as_of_date,
        as_of_date_source,
        latest_event_date,
        first_data_date,
        cast({{ dbt.date_trunc('month', 'first_data_date') }} as date) as first_month_start_date,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month_start_date,
        -- The month that holds the day after the as-of date, minus one month: the as-of
        -- month itself when the as-of date is its last day, the month before otherwise.
        cast({{ dbt.dateadd('month', -1, dbt.date_trunc('month', dbt.dateadd('day', 1, 'as_of_date'))) }} as date)
            as latest_complete_month_start_date,
        cast({{ fiscal_year('as_of_date') }} as integer) as current_fiscal_year
    from as_of
)

select * from final
