-- ABM scores, tiers and account KPIs of every company and reporting month: fit (size +
-- industry) + engagement = total score on 100 points, the tier it reaches (the best tier
-- whose minimum in var abm_tier_min_total_scores the total reaches, else var
-- abm_lowest_tier), its rank in the month, the tier of the month before and the movement
-- between them (new / up / down / same), and the account-level KPIs of the month.
{%- set tier_min_scores = var('abm_tier_min_total_scores').items() | sort(attribute='1', reverse=true) %}

with

account_months as (
    select * from {{ ref('int_abm_account_months') }}
),

fit as (
    select * from {{ ref('int_abm_account_fit') }}
),

engagement as (
    select * from {{ ref('int_abm_account_engagement_months') }}
),

kpis as (
    select * from {{ ref('int_abm_account_kpi_months') }}
),

tiers as (
    select * from {{ ref('abm_tiers') }}
),

scored as (
    select
        account_months.company_id,
        account_months.month_start_date,
        account_months.evaluation_date,
        account_months.is_complete,
        fit.size_fit_points,
        fit.industry_fit_points,
        fit.fit_score,
        engagement.web_visit_count,
        engagement.page_view_count,
        engagement.form_submission_count,
        engagement.email_open_count,
        engagement.email_click_count,
        engagement.engagement_raw_points,
        engagement.engagement_score,
        fit.fit_score + engagement.engagement_score as total_score,
        kpis.open_opportunity_count,
        kpis.open_pipeline_amount_jpy,
        kpis.weighted_pipeline_amount_jpy,
        kpis.won_opportunity_count,
        kpis.won_amount_jpy,
        kpis.contracts_due_count,
        kpis.contracts_renewed_count,
        kpis.renewal_rate
    from account_months
    inner join fit
        on account_months.company_id = fit.company_id
    inner join engagement
        on
            account_months.company_id = engagement.company_id
            and account_months.month_start_date = engagement.month_start_date
    inner join kpis
        on
            account_months.company_id = kpis.company_id
            and account_months.month_start_date = kpis.month_start_date
),

tiered as (
    select
        *,
        case
            {% for tier_code, min_total_score in tier_min_scores %}
                when total_score >= {{ min_total_score }} then '{{ tier_code }}'
            {% endfor %}
            else '{{ var("abm_lowest_tier") }}'
        end as tier_code,
        rank() over (
            partition by month_start_date
            order by total_score desc
        ) as score_rank
    from scored
),

labelled as (
    select
        tiered.*,
        tiers.tier_number
    from tiered
    left join tiers
        on tiered.tier_code = tiers.tier_code
),

-- The scaffold has every month from the company's first one, so the row before is the month before.
with_previous as (
    select
        *,
        lag(tier_code) over (partition by company_id order by month_start_date) as previous_tier_code,
        lag(tier_number) over (partition by company_id order by month_start_date) as previous_tier_number
    from labelled
),

final as (
    select
        company_id,
        month_start_date,
        evaluation_date,
        is_complete,
        size_fit_points,
        industry_fit_points,
        fit_score,
        web_visit_count,
        page_view_count,
        form_submission_count,
        email_open_count,
        email_click_count,
        engagement_raw_points,
        engagement_score,
        cast(total_score as {{ kpi_type_double() }}) as total_score,
        cast(score_rank as {{ dbt.type_bigint() }}) as score_rank,
        tier_code,
        cast(tier_number as {{ dbt.type_int() }}) as tier_number,
        previous_tier_code,
        case
            when previous_tier_number is null then 'new'
            when tier_number < previous_tier_number then 'up'
            when tier_number > previous_tier_number then 'down'
            else 'same'
        end as tier_movement,
        open_opportunity_count,
        open_pipeline_amount_jpy,
        weighted_pipeline_amount_jpy,
        won_opportunity_count,
        won_amount_jpy,
        contracts_due_count,
        contracts_renewed_count,
        renewal_rate
    from with_previous
)

select * from final
