-- NPS answers (顧客推奨度): one row per staged survey response, categorised by score:
-- promoter at kpi_tree.yml settings.nps_promoter_min_score or more, detractor at
-- settings.nps_detractor_max_score or less, passive in between. NPS = % promoters −
-- % detractors (computed in kpi_measures_monthly).
with

responses as (
    select * from {{ ref('stg_crm__nps_responses') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

final as (
    select
        responses.nps_response_id,
        responses.customer_id,
        company_identity.company_id,
        customers.business_unit,
        responses.survey_name,
        responses.responded_at,
        cast({{ dbt.date_trunc('month', 'responses.responded_at') }} as date) as month_start_date,
        responses.nps_score as score,
        case
            when responses.nps_score >= kpi_settings.nps_promoter_min_score then 'promoter'
            when responses.nps_score <= kpi_settings.nps_detractor_max_score then 'detractor'
            else 'passive'
        end as nps_category
    from responses
    cross join kpi_settings
    left join customers
        on responses.customer_id = customers.customer_id
    left join company_identity
        on
            company_identity.source_table = 'crm.customers'
            and responses.customer_id = company_identity.source_record_id
)

select * from final
