-- KPI measures: the one place a KGI or KPI is computed. One row per KPI x definition choice
-- (basis) x month, from the fact models: numerator, denominator and value of the month, of
-- the fiscal quarter and year to date and of the trailing 3 months. Scored against the
-- kpi_tree.yml targets once, in kpi_scored_monthly; every KPI mart, the tree and the semantic
-- layer read that. Adding a KPI = one branch below (in `additive_measures` when its numerator
-- and denominator add up across months, in `window_measures` when it counts distinct
-- entities per window) + one kpi_tree.yml node (docs/how-to-add-a-kpi.md). A branch says:
--   kpi_id, basis         the node id, and the definition choice (null when there is none)
--   numerator,            of the month; is_ratio false: the value is the numerator (counts,
--   denominator           yen; denominator null), true: numerator x value_scale / denominator
--   value_scale           (null when the denominator is 0: no_data, never 0 %)
--   is_mature             whether the month can be judged (open month, cohort or grace
--                         period still running: immature, never missed)
--   accumulates_over_period  the period-to-date value grows through a quarter or a year
--                         (counts, yen, share of customers reached), so a quarter or year
--                         target is pro-rated by the months elapsed
with

lead_funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

opportunities as (
    select * from {{ ref('fct_opportunities') }}
),

sla_responses as (
    select * from {{ ref('fct_sla_responses') }}
),

contracts as (
    select * from {{ ref('fct_contracts') }}
),

nps_responses as (
    select * from {{ ref('fct_nps_responses') }}
),

customer_months as (
    select * from {{ ref('fct_customer_months') }}
),

pl_months as (
    select * from {{ ref('fct_pl_months') }}
),

months as (
    select * from {{ ref('dim_months') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_nodes as (
    select * from {{ ref('kpi_tree_nodes') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

-- ── KGI ─────────────────────────────────────────────────────────────────────────────────

recognised_revenue as (
    select
        month_start_date,
        sum(recurring_revenue_jpy) as revenue_jpy
    from customer_months
    group by month_start_date
),

pl_totals as (
    select
        month_start_date,
        sum(revenue_jpy) as revenue_jpy,
        sum(operating_income_jpy) as operating_income_jpy
    from pl_months
    group by month_start_date
),

-- Finance closes a month some time after it ends: a month counts for the P&L once its
-- P&L, or a later month's, has been loaded; a closed month without P&L shows as no_data.
latest_closed_pl_month as (
    select max(month_start_date) as month_start_date
    from pl_totals
),

-- ── KSF1 新規顧客獲得 ─────────────────────────────────────────────────────────────────────

-- The MQL population of each basis (kpi_tree.yml `basis` of the two MQL KPIs):
--   ma_handoff  people whose first lead record came from MA (lead_origin = 'ma'): the MQLs
--               marketing handed off (the article's MQL, default)
--   all_leads   also the leads created directly in SFA (seminar lists, referral, outbound,
--               partner), which become MQLs only when converted (mql_at inferred from the SQL)
mql_bases as (
    select 'ma_handoff' as basis
    union all
    select 'all_leads' as basis
),

-- Each person's first MQL (mql_at, JST) and whether a new-business opportunity followed within
-- the window: fct_lead_funnel holds one row per person, so a count is a count of people.
mql_cohorts as (
    select
        mql_bases.basis,
        lead_funnel.mql_month_start_date as month_start_date,
        count(*) as mql_count,
        count(case when lead_funnel.has_opportunity_within_window then 1 end) as converted_count
    from lead_funnel
    inner join mql_bases
        on mql_bases.basis = 'all_leads' or lead_funnel.lead_origin = 'ma'
    where lead_funnel.mql_at is not null
    group by
        mql_bases.basis,
        lead_funnel.mql_month_start_date
),

-- A cohort month is mature once its last MQL has had the whole window by the as-of date.
cohort_maturity as (
    select
        months.month_start_date,
        {{ dbt.dateadd('day', 'kpi_settings.mql_to_opportunity_window_days', 'months.month_end_date') }}
        <= reporting_period.as_of_date as is_cohort_mature
    from months
    cross join kpi_settings
    cross join reporting_period
),

closed_new_business as (
    select
        close_month_start_date as month_start_date,
        count(case when is_won then 1 end) as won_count,
        count(*) as closed_count
    from opportunities
    where
        opportunity_type = 'new_business'
        and is_closed
    group by close_month_start_date
),

-- The MQLs whose response is due by the month of the MQL, on each SLA clock (the `basis` of
-- lead_handoff_sla_rate; fct_sla_responses keeps every clock's verdict). The population is
-- the MQLs of the MQL KPIs' basis (fct_sla_responses.is_kpi_mql): with ma_handoff a lead
-- created directly in SFA is nobody's handoff and has no SLA to meet.
{%- set sla_clocks = ['business_days', 'business_hours', 'calendar'] %}
sla_due_responses as (
    {%- for clock in sla_clocks %}
        select
            '{{ clock }}' as basis,
            cast({{ dbt.date_trunc('month', 'mql_at') }} as date) as month_start_date,
            count(case when is_sla_met_{{ clock }} then 1 end) as met_count,
            count(*) as due_count
        from sla_responses
        where
            is_sla_due_{{ clock }}
            and is_kpi_mql
        group by cast({{ dbt.date_trunc('month', 'mql_at') }} as date)
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

sla_bases as (
    {%- for clock in sla_clocks %}
        select '{{ clock }}' as basis
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- ── KSF2 既存顧客維持 ─────────────────────────────────────────────────────────────────────

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

-- ── KSF3 顧客単価向上 ─────────────────────────────────────────────────────────────────────

-- クロスセル率 by company (basis company, the default): a company (its CRM customers of every
-- business unit together) cross-sells when it starts a term of a product line it did not
-- hold, whatever the business unit (a SaaS customer buying consulting is a cross-sell). The
-- same rule as int_contracts_renewals_matched, on the company instead of the CRM customer.
company_terms as (
    select
        contract_id,
        coalesce(company_id, {{ dbt.concat(["'customer:'", 'customer_id']) }}) as company_key,
        product_line,
        contract_type,
        start_date,
        end_date
    from contracts
),

company_cross_sells as (
    select
        new_terms.company_key,
        cast({{ dbt.date_trunc('month', 'new_terms.start_date') }} as date) as month_start_date,
        new_terms.contract_id
    from company_terms as new_terms
    inner join company_terms as held
        on
            new_terms.company_key = held.company_key
            and new_terms.contract_id != held.contract_id
            and new_terms.start_date > held.start_date
            and {{ dbt.dateadd('day', -1, 'new_terms.start_date') }} <= held.end_date
    where new_terms.contract_type != 'renewal'
    group by
        new_terms.company_key,
        new_terms.start_date,
        new_terms.contract_id
    having max(case when held.product_line = new_terms.product_line then 1 else 0 end) = 0
),

company_cross_sell_months as (
    select
        company_key,
        month_start_date,
        count(*) as won_count
    from company_cross_sells
    group by
        company_key,
        month_start_date
),

company_months as (
    select
        coalesce(company_id, {{ dbt.concat(["'customer:'", 'customer_id']) }}) as company_key,
        month_start_date,
        max(case when is_active_at_month_start then 1 else 0 end) = 1 as is_active_at_month_start
    from customer_months
    group by
        coalesce(company_id, {{ dbt.concat(["'customer:'", 'customer_id']) }}),
        month_start_date
),

-- The entities each window KPI and basis counts, month by month: whether active at the month
-- start and how many upsells / cross-sells it won in the month.
entity_months as (
    select
        'upsell_rate' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        customer_id as entity_id,
        month_start_date,
        is_active_at_month_start,
        upsell_won_count as won_count
    from customer_months

    union all

    select
        'cross_sell_rate' as kpi_id,
        'business_unit' as basis,
        customer_id as entity_id,
        month_start_date,
        is_active_at_month_start,
        cross_sell_won_count as won_count
    from customer_months

    union all

    select
        'cross_sell_rate' as kpi_id,
        'company' as basis,
        company_months.company_key as entity_id,
        company_months.month_start_date,
        company_months.is_active_at_month_start,
        coalesce(company_cross_sell_months.won_count, 0) as won_count
    from company_months
    left join company_cross_sell_months
        on
            company_months.company_key = company_cross_sell_months.company_key
            and company_months.month_start_date = company_cross_sell_months.month_start_date
),

entity_kpi_bases as (
    select distinct
        kpi_id,
        basis
    from entity_months
),

-- One row per month and window, with the first month of the window.
windows as (
    select
        month_start_date,
        'month' as window_name,
        month_start_date as window_start_date
    from months

    union all

    select
        month_start_date,
        'qtd' as window_name,
        cast({{ dbt.dateadd('month', '-mod(fiscal_month_number - 1, 3)', 'month_start_date') }} as date)
            as window_start_date
    from months

    union all

    select
        month_start_date,
        'fytd' as window_name,
        fiscal_year_start_date as window_start_date
    from months

    union all

    select
        month_start_date,
        'trailing_3_month' as window_name,
        cast({{ dbt.dateadd('month', -2, 'month_start_date') }} as date) as window_start_date
    from months
),

-- The entities active at the start of each window (its denominator).
window_cohorts as (
    select
        entity_months.kpi_id,
        entity_months.basis,
        windows.month_start_date,
        windows.window_name,
        entity_months.entity_id
    from windows
    inner join entity_months
        on
            windows.window_start_date = entity_months.month_start_date
            and entity_months.is_active_at_month_start
),

-- Deals won by each entity within each window.
window_wins as (
    select
        entity_months.kpi_id,
        entity_months.basis,
        windows.month_start_date,
        windows.window_name,
        entity_months.entity_id,
        sum(entity_months.won_count) as won_count
    from windows
    inner join entity_months
        on
            windows.window_start_date <= entity_months.month_start_date
            and windows.month_start_date >= entity_months.month_start_date
            and entity_months.won_count > 0
    group by
        entity_months.kpi_id,
        entity_months.basis,
        windows.month_start_date,
        windows.window_name,
        entity_months.entity_id
),

window_rates as (
    select
        window_cohorts.kpi_id,
        window_cohorts.basis,
        window_cohorts.month_start_date,
        window_cohorts.window_name,
        count(*) as active_count,
        count(window_wins.entity_id) as won_entity_count
    from window_cohorts
    left join window_wins
        on
            window_cohorts.kpi_id = window_wins.kpi_id
            and coalesce(window_cohorts.basis, '') = coalesce(window_wins.basis, '')
            and window_cohorts.month_start_date = window_wins.month_start_date
            and window_cohorts.window_name = window_wins.window_name
            and window_cohorts.entity_id = window_wins.entity_id
    group by
        window_cohorts.kpi_id,
        window_cohorts.basis,
        window_cohorts.month_start_date,
        window_cohorts.window_name
),

-- ── The branches: one per KPI ────────────────────────────────────────────────────────────

-- KPIs whose numerator and denominator add up across months: the period-to-date and
-- trailing values are sums over mature months (macro kpi_additive_rollups).
additive_measures as (
    -- 年間売上 / kgi_revenue: contract revenue recognised monthly (contract_revenue, default:
    -- known as soon as a month ends, the same source as the KPIs under it) or the P&L's
    -- revenue (pl_revenue: counted once finance has closed the month).
    select
        'kgi_revenue' as kpi_id,
        'contract_revenue' as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(recognised_revenue.revenue_jpy, 0) as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        false as is_ratio,
        1 as value_scale,
        months.is_complete as is_mature,
        true as accumulates_over_period
    from months
    left join recognised_revenue
        on months.month_start_date = recognised_revenue.month_start_date

    union all

    select
        'kgi_revenue' as kpi_id,
        'pl_revenue' as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        pl_totals.revenue_jpy as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        false as is_ratio,
        1 as value_scale,
        months.is_complete
        and coalesce(months.month_start_date <= latest_closed_pl_month.month_start_date, false) as is_mature,
        true as accumulates_over_period
    from months
    cross join latest_closed_pl_month
    left join pl_totals
        on months.month_start_date = pl_totals.month_start_date

    union all

    -- 営業利益率 / kgi_operating_margin: operating income / revenue of the P&L.
    select
        'kgi_operating_margin' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        pl_totals.operating_income_jpy as numerator,
        pl_totals.revenue_jpy as denominator,
        true as is_ratio,
        1 as value_scale,
        months.is_complete
        and coalesce(months.month_start_date <= latest_closed_pl_month.month_start_date, false) as is_mature,
        false as accumulates_over_period
    from months
    cross join latest_closed_pl_month
    left join pl_totals
        on months.month_start_date = pl_totals.month_start_date

    union all

    -- 月間MQL獲得数 / monthly_mql_count: people whose first MQL falls in the month.
    select
        'monthly_mql_count' as kpi_id,
        mql_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(mql_cohorts.mql_count, 0) as numerator,
        cast(null as {{ kpi_type_double() }}) as denominator,
        false as is_ratio,
        1 as value_scale,
        months.is_complete as is_mature,
        true as accumulates_over_period
    from months
    cross join mql_bases
    left join mql_cohorts
        on
            months.month_start_date = mql_cohorts.month_start_date
            and mql_bases.basis = mql_cohorts.basis

    union all

    -- 商談化率 / mql_to_opportunity_rate: of the month's MQL cohort, the share with a
    -- new-business opportunity within the window; judged once the cohort is mature.
    select
        'mql_to_opportunity_rate' as kpi_id,
        mql_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(mql_cohorts.converted_count, 0) as numerator,
        coalesce(mql_cohorts.mql_count, 0) as denominator,
        true as is_ratio,
        1 as value_scale,
        cohort_maturity.is_cohort_mature as is_mature,
        false as accumulates_over_period
    from months
    cross join mql_bases
    inner join cohort_maturity
        on months.month_start_date = cohort_maturity.month_start_date
    left join mql_cohorts
        on
            months.month_start_date = mql_cohorts.month_start_date
            and mql_bases.basis = mql_cohorts.basis

    union all

    -- 成約率 / win_rate: new-business opportunities won / closed in the month.
    select
        'win_rate' as kpi_id,
        cast(null as {{ dbt.type_string() }}) as basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(closed_new_business.won_count, 0) as numerator,
        coalesce(closed_new_business.closed_count, 0) as denominator,
        true as is_ratio,
        1 as value_scale,
        months.is_complete as is_mature,
        false as accumulates_over_period
    from months
    left join closed_new_business
        on months.month_start_date = closed_new_business.month_start_date

    union all

    -- リード引継ぎSLA遵守率 / lead_handoff_sla_rate: due MQLs answered within the SLA.
    select
        'lead_handoff_sla_rate' as kpi_id,
        sla_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(sla_due_responses.met_count, 0) as numerator,
        coalesce(sla_due_responses.due_count, 0) as denominator,
        true as is_ratio,
        1 as value_scale,
        months.is_complete as is_mature,
        false as accumulates_over_period
    from months
    cross join sla_bases
    left join sla_due_responses
        on
            months.month_start_date = sla_due_responses.month_start_date
            and sla_bases.basis = sla_due_responses.basis

    union all

    -- 継続率 / retention_rate: retained / due of the month's ending terms, on each basis;
    -- judged once the grace period after the month has passed.
    select
        'retention_rate' as kpi_id,
        retention_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(retention_bases.numerator, 0) as numerator,
        coalesce(retention_bases.denominator, 0) as denominator,
        true as is_ratio,
        1 as value_scale,
        months.is_complete and renewal_maturity.is_renewal_decided as is_mature,
        false as accumulates_over_period
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
        true as is_ratio,
        100 as value_scale,
        months.is_complete as is_mature,
        false as accumulates_over_period
    from months
    left join nps_counts
        on months.month_start_date = nps_counts.month_start_date
),

additive_rolled_up as (
    {{ kpi_additive_rollups('additive_measures') }}
),

-- KPIs of distinct entities per window (アップセル率 / upsell_rate, クロスセル率 /
-- cross_sell_rate: of the entities active at the start of a window, the share with at least
-- one won deal in the window): a customer counts once per window however many deals it won,
-- so the windows are computed from entities, not added up from months (a window with no
-- active entity at its start has a null denominator and so a null rate).
window_measures as (
    select
        entity_kpi_bases.kpi_id,
        entity_kpi_bases.basis,
        months.month_start_date,
        months.fiscal_year,
        months.fiscal_quarter,
        coalesce(month_rates.won_entity_count, 0) as numerator,
        month_rates.active_count as denominator,
        true as is_ratio,
        1 as value_scale,
        months.is_complete as is_mature,
        true as accumulates_over_period,
        coalesce(qtd_rates.won_entity_count, 0) as qtd_numerator,
        qtd_rates.active_count as qtd_denominator,
        coalesce(fytd_rates.won_entity_count, 0) as fytd_numerator,
        fytd_rates.active_count as fytd_denominator,
        coalesce(trailing_3_month_rates.won_entity_count, 0) as trailing_3_month_numerator,
        trailing_3_month_rates.active_count as trailing_3_month_denominator,
        cast(null as integer) as trailing_3_month_count
    from months
    cross join entity_kpi_bases
    {%- for window_name in ['month', 'qtd', 'fytd', 'trailing_3_month'] %}
        left join window_rates as {{ window_name }}_rates
            on
                months.month_start_date = {{ window_name }}_rates.month_start_date
                and entity_kpi_bases.kpi_id = {{ window_name }}_rates.kpi_id
                and coalesce(entity_kpi_bases.basis, '') = coalesce({{ window_name }}_rates.basis, '')
                and {{ window_name }}_rates.window_name = '{{ window_name }}'
    {%- endfor %}
),

measures as (
    select
        kpi_id,
        basis,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        numerator,
        denominator,
        is_ratio,
        value_scale,
        is_mature,
        accumulates_over_period,
        qtd_numerator,
        qtd_denominator,
        fytd_numerator,
        fytd_denominator,
        trailing_3_month_numerator,
        trailing_3_month_denominator,
        trailing_3_month_count
    from additive_rolled_up

    union all

    select
        kpi_id,
        basis,
        month_start_date,
        fiscal_year,
        fiscal_quarter,
        numerator,
        denominator,
        is_ratio,
        value_scale,
        is_mature,
        accumulates_over_period,
        qtd_numerator,
        qtd_denominator,
        fytd_numerator,
        fytd_denominator,
        trailing_3_month_numerator,
        trailing_3_month_denominator,
        trailing_3_month_count
    from window_measures
),

-- Only the KGIs and KPIs of kpi_tree.yml (a branch whose node was removed is not computed
-- into the marts).
measured_kpis as (
    select distinct node_id as kpi_id
    from kpi_nodes
    where node_level in ('kgi', 'kpi')
),

final as (
    select
        measures.kpi_id,
        measures.basis,
        measures.month_start_date,
        measures.fiscal_year,
        measures.fiscal_quarter,
        cast(measures.numerator as {{ kpi_type_double() }}) as numerator,
        cast(measures.denominator as {{ kpi_type_double() }}) as denominator,
        case
            when measures.is_ratio
                then {{ kpi_safe_divide('measures.numerator * measures.value_scale', 'measures.denominator') }}
            else cast(measures.numerator as {{ kpi_type_double() }})
        end as actual,
        case
            when measures.is_ratio
                then {{ kpi_safe_divide('measures.qtd_numerator * measures.value_scale', 'measures.qtd_denominator') }}
            else cast(measures.qtd_numerator as {{ kpi_type_double() }})
        end as qtd_actual,
        case
            when measures.is_ratio
                then {{ kpi_safe_divide(
                    'measures.fytd_numerator * measures.value_scale', 'measures.fytd_denominator'
                ) }}
            else cast(measures.fytd_numerator as {{ kpi_type_double() }})
        end as fytd_actual,
        case
            when measures.is_ratio
                then {{ kpi_safe_divide(
                    'measures.trailing_3_month_numerator * measures.value_scale',
                    'measures.trailing_3_month_denominator'
                ) }}
            else {{ kpi_safe_divide('measures.trailing_3_month_numerator', 'measures.trailing_3_month_count') }}
        end as trailing_3_month_actual,
        cast(measures.qtd_numerator as {{ kpi_type_double() }}) as qtd_numerator,
        cast(measures.qtd_denominator as {{ kpi_type_double() }}) as qtd_denominator,
        cast(measures.fytd_numerator as {{ kpi_type_double() }}) as fytd_numerator,
        cast(measures.fytd_denominator as {{ kpi_type_double() }}) as fytd_denominator,
        measures.is_ratio,
        measures.value_scale,
        measures.is_mature,
        measures.accumulates_over_period
    from measures
    inner join measured_kpis
        on measures.kpi_id = measured_kpis.kpi_id
)

select * from final
