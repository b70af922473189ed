-- KSF2 既存顧客維持 (customer retention) at KPI x month grain: the retention rate of the
-- customers (or contract terms, or MRR: kpi_tree.yml `basis`) whose term ends in the month
-- (CS), with gross revenue retention on MRR beside it,
-- and the NPS of the month's responses (全部門), each judged against its kpi_tree.yml target.
with

contracts as (
    select * from {{ ref('fct_contracts') }}
),

nps_responses as (
    select * from {{ ref('fct_nps_responses') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
    where mart_name = 'kpi_retention_monthly'
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

-- Contracts whose term ends in the month (every contract type: a term that ends is up for
-- renewal), with their monthly recurring revenue (MRR) at the renewal point.
contracts_due as (
    select
        end_month_start_date as month_start_date,
        count(*) as due_count,
        count(case when is_renewed then 1 end) as renewed_count,
        sum(monthly_revenue_jpy) as due_mrr_jpy
    from contracts
    group by end_month_start_date
),

-- Retained MRR, per renewal term: the renewal's MRR capped at the MRR of the terms it renews
-- (several terms may share one renewal, e.g. an upsell co-termed with its base term), so an
-- upsell at renewal does not hide a downgrade elsewhere (gross, not net, retention) and a
-- shorter or longer renewal term does not distort the comparison (MRR, not whole-term yen).
renewal_groups as (
    select
        end_month_start_date as month_start_date,
        renewal_contract_id,
        sum(monthly_revenue_jpy) as renewed_terms_mrr_jpy,
        max(renewal_monthly_revenue_jpy) as renewal_mrr_jpy
    from contracts
    where is_renewed
    group by
        end_month_start_date,
        renewal_contract_id
),

contracts_retained as (
    select
        month_start_date,
        sum(least(coalesce(renewal_mrr_jpy, 0), renewed_terms_mrr_jpy)) as retained_mrr_jpy
    from renewal_groups
    group by month_start_date
),

-- Customers with a term ending in the month (basis customer): a customer is retained when one
-- of those terms was renewed, or when another of its terms runs on past them (it dropped a
-- product line, not the company: 解約 is a customer leaving).
customers_due as (
    select
        end_month_start_date as month_start_date,
        customer_id,
        max(case when is_renewed then 1 else 0 end) as has_renewed_term,
        max(end_date) as last_due_end_date
    from contracts
    group by
        end_month_start_date,
        customer_id
),

customers_retained as (
    select
        customers_due.month_start_date,
        customers_due.customer_id,
        customers_due.has_renewed_term = 1 or count(running_terms.contract_id) > 0 as is_retained
    from customers_due
    left join contracts as running_terms
        on
            customers_due.customer_id = running_terms.customer_id
            and customers_due.last_due_end_date >= running_terms.start_date
            and customers_due.last_due_end_date < running_terms.end_date
    group by
        customers_due.month_start_date,
        customers_due.customer_id,
        customers_due.has_renewed_term
),

customer_counts as (
    select
        month_start_date,
        count(*) as due_customer_count,
        count(case when is_retained then 1 end) as retained_customer_count
    from customers_retained
    group by month_start_date
),

-- The three bases of 継続率 (kpi_tree.yml `basis`): customer (default, the article's
-- 継続率 = 1 − 解約率 of customers), contract (terms, each product line and add-on
-- separately) and revenue_mrr (gross revenue retention on MRR).
retention_bases as (
    select
        months.month_start_date,
        'customer' as basis,
        customer_counts.retained_customer_count as numerator,
        customer_counts.due_customer_count as denominator
    from months
    left join customer_counts
        on months.month_start_date = customer_counts.month_start_date
    union all
    select
        months.month_start_date,
        'contract' as basis,
        contracts_due.renewed_count as numerator,
        contracts_due.due_count as denominator
    from months
    left join contracts_due
        on months.month_start_date = contracts_due.month_start_date
    union all
    select
        months.month_start_date,
        'revenue_mrr' as basis,
        case when contracts_due.due_mrr_jpy is not null then coalesce(contracts_retained.retained_mrr_jpy, 0) end
            as numerator,
        contracts_due.due_mrr_jpy as denominator
    from months
    left join contracts_due
        on months.month_start_date = contracts_due.month_start_date
    left join contracts_retained
        on months.month_start_date = contracts_retained.month_start_date
),

-- A month's renewals are decided once the grace period after its last day has passed.
renewal_maturity as (
    select
        months.month_start_date,
        {{ dbt.dateadd('day', 'kpi_settings.renewal_grace_period_days', 'months.month_end_date') }}
        < reporting_period.as_of_date as is_renewal_decided
    from months
    cross join kpi_settings
    cross join reporting_period
),

nps_counts as (
    select
        month_start_date,
        count(case when nps_category = 'promoter' then 1 end) as promoter_count,
        count(case when nps_category = 'detractor' then 1 end) as detractor_count,
        count(*) as response_count
    from nps_responses
    group by month_start_date
),

measures as (
    select
        'retention_rate' as kpi_id,
        retention_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(retention_bases.numerator, 0) as numerator,
        coalesce(retention_bases.denominator, 0) as denominator,
        1 as value_scale,
        months.is_complete and renewal_maturity.is_renewal_decided as is_mature
    from months
    inner join renewal_maturity
        on months.month_start_date = renewal_maturity.month_start_date
    inner join retention_bases
        on months.month_start_date = retention_bases.month_start_date

    union all

    -- NPS in points (-100..100): 100 x (promoters - detractors) / responses.
    select
        'nps' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(nps_counts.promoter_count, 0) - coalesce(nps_counts.detractor_count, 0) as numerator,
        coalesce(nps_counts.response_count, 0) as denominator,
        100 as value_scale,
        months.is_complete as is_mature
    from months
    left join nps_counts
        on months.month_start_date = nps_counts.month_start_date
),

measures_rolled_up as (
    {{ kpi_additive_rollups('measures') }}
),

{{ kpi_scored_ctes('measures_rolled_up', 'kpi_nodes', 'kpi_settings', 'months') }},

final as (
    select
        kpi_scored.kpi_id,
        kpi_scored.month_start_date,
        kpi_scored.fiscal_year,
        kpi_scored.fiscal_quarter,
        kpi_scored.fiscal_month_number,
        kpi_scored.kpi_name_ja,
        kpi_scored.kpi_name_en,
        kpi_scored.owner_department,
        kpi_scored.owner_department_ja,
        kpi_scored.unit,
        kpi_scored.judged_period,
        kpi_scored.direction,
        kpi_scored.severity,
        kpi_scored.basis,
        kpi_scored.basis_label_ja,
        kpi_scored.basis_label_en,
        kpi_scored.numerator,
        kpi_scored.denominator,
        kpi_scored.actual,
        kpi_scored.qtd_actual,
        kpi_scored.fytd_actual,
        kpi_scored.trailing_3_month_actual,
        kpi_scored.judged_actual,
        kpi_scored.judged_numerator,
        kpi_scored.judged_denominator,
        kpi_scored.judged_month_count,
        kpi_scored.target_value,
        kpi_scored.target,  -- noqa: RF04
        kpi_scored.achievement_rate,
        kpi_scored.gap,
        kpi_scored.status,
        kpi_scored.is_mature,
        kpi_scored.is_latest_judged,
        cast(contracts_due.due_mrr_jpy as {{ kpi_type_double() }}) as due_mrr_jpy,
        cast(
            case when contracts_due.due_mrr_jpy is not null then coalesce(contracts_retained.retained_mrr_jpy, 0) end
            as {{ kpi_type_double() }}
        ) as retained_mrr_jpy,
        {{ kpi_safe_divide('coalesce(contracts_retained.retained_mrr_jpy, 0)', 'contracts_due.due_mrr_jpy') }}
            as gross_revenue_retention_rate
    from kpi_scored
    left join contracts_due
        on
            kpi_scored.month_start_date = contracts_due.month_start_date
            and kpi_scored.kpi_id = 'retention_rate'
    left join contracts_retained
        on
            kpi_scored.month_start_date = contracts_retained.month_start_date
            and kpi_scored.kpi_id = 'retention_rate'
)

select * from final
