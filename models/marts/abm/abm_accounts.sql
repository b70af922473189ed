-- One row per company: its ABM scores and tier of the latest complete month, with the
-- company's owner, business units and account-level KPIs of that month. A company first
-- seen after the latest complete month has no score yet (score and tier columns null).
with

companies as (
    select * from {{ ref('dim_companies') }}
),

account_months as (
    select * from {{ ref('abm_account_months') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

tiers as (
    select * from {{ ref('abm_tiers') }}
),

latest_complete_months as (
    select account_months.*
    from account_months
    inner join reporting_period
        on account_months.month_start_date = reporting_period.latest_complete_month_start_date
),

final as (
    select
        companies.company_id,
        companies.company_name,
        companies.industry,
        companies.employee_count,
        companies.business_units,
        companies.is_customer,
        companies.owner_user_id,
        reporting_period.latest_complete_month_start_date as scored_month_start_date,
        latest_complete_months.size_fit_points,
        latest_complete_months.industry_fit_points,
        latest_complete_months.fit_score,
        latest_complete_months.engagement_score,
        latest_complete_months.total_score,
        latest_complete_months.score_rank,
        latest_complete_months.tier_code,
        latest_complete_months.tier_number,
        tiers.tier_label_ja,
        tiers.tier_label_en,
        latest_complete_months.previous_tier_code,
        latest_complete_months.tier_movement,
        latest_complete_months.web_visit_count,
        latest_complete_months.page_view_count,
        latest_complete_months.form_submission_count,
        latest_complete_months.email_open_count,
        latest_complete_months.email_click_count,
        latest_complete_months.open_opportunity_count,
        latest_complete_months.open_pipeline_amount_jpy,
        latest_complete_months.weighted_pipeline_amount_jpy,
        latest_complete_months.won_opportunity_count,
        latest_complete_months.won_amount_jpy,
        latest_complete_months.contracts_due_count,
        latest_complete_months.contracts_renewed_count,
        latest_complete_months.renewal_rate
    from companies
    cross join reporting_period
    left join latest_complete_months
        on companies.company_id = latest_complete_months.company_id
    left join tiers
        on latest_complete_months.tier_code = tiers.tier_code
)

select * from final
