-- Fit of every company as a target account (the static half of the ABM score): company
-- size points from the employee-count bands in var abm_size_bands (the highest band whose
-- min_employees the count reaches; unknown count → abm_size_unknown_points) plus industry
-- points from seed abm_industry_fit (an industry missing from it, or unknown, gets
-- abm_industry_unknown_points). Scored on the company's current attributes in dim_companies.
{%- set size_bands = var('abm_size_bands') | sort(attribute='min_employees', reverse=true) %}

with

companies as (
    select * from {{ ref('dim_companies') }}
),

industry_fit as (
    select * from {{ ref('abm_industry_fit') }}
),

scored as (
    select
        companies.company_id,
        companies.industry,
        companies.employee_count,
        case
            when companies.employee_count is null then {{ var('abm_size_unknown_points') }}
            {% for band in size_bands %}
                when companies.employee_count >= {{ band['min_employees'] }} then {{ band['points'] }}
            {% endfor %}
            else {{ var('abm_size_unknown_points') }}
        end as size_fit_points,
        coalesce(industry_fit.industry_fit_points, {{ var('abm_industry_unknown_points') }})
            as industry_fit_points,
        industry_fit.industry is not null as is_industry_mapped
    from companies
    left join industry_fit
        on companies.industry = industry_fit.industry
),

final as (
    select
        company_id,
        industry,
        employee_count,
        cast(size_fit_points as {{ kpi_type_double() }}) as size_fit_points,
        cast(industry_fit_points as {{ kpi_type_double() }}) as industry_fit_points,
        cast(size_fit_points + industry_fit_points as {{ kpi_type_double() }}) as fit_score,
        is_industry_mapped
    from scored
)

select * from final
