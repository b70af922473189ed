-- Every staged CRM contract term with its renewal (the next term that continues it) and its
-- type decided from the contracts themselves rather than the CRM's label:
--   renewal match   term R renews term C when both belong to the same customer and product
--                   line, R starts after C started and at most renewal_grace_period_days days (kpi_tree.yml settings)
--                   after C's end_date, and R either starts after C ended or is a CRM
--                   'renewal' that names C as its previous contract. C keeps its best R:
--                   the one that names C, then the earliest start, then the smallest id.
--                   Several terms may share one renewal (an upsell co-termed with its base
--                   term is carried into the base term's renewal).
--   contract_type   'renewal' when the term renews another; otherwise, looking at the
--                   customer's terms that started earlier and ran at least until the day
--                   before this one started: 'upsell' when one is of the same product line,
--                   'cross_sell' when all are of other product lines, 'new' when there are
--                   none (terms starting the same day are one deal: a first order of two
--                   product lines is two 'new' terms).
-- Revenue is recognised like the ledger does: amount ÷ term months in each of the term's
-- months counted from its start month (term months = days ÷ the average Gregorian month
-- of 365.25 ÷ 12 days, rounded, at least 1). Money is whole yen, rounded here and only
-- here (docs/marts_contract.md): the monthly revenue is amount ÷ term months rounded to the
-- yen, and the term's last month takes the remainder (amount − monthly × (term months − 1)),
-- so that the months of a term add up to its amount exactly.
with

contracts as (
    select * from {{ ref('stg_crm__contracts') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

term_days as (
    select
        contract_id,
        customer_id,
        product_line,
        contract_type as crm_contract_type,
        previous_contract_id,
        salesforce_opportunity_id,
        start_date,
        end_date,
        amount_jpy,
        (
            {{ dbt.datediff('start_date', 'end_date', 'day') }}
        ) + 1 as term_day_count
    from contracts
),

sized as (
    select
        *,
        case
            when round(term_day_count / (365.25 / 12)) < 1 then 1
            else cast(round(term_day_count / (365.25 / 12)) as integer)
        end as term_months
    from term_days
),

renewal_candidates as (
    select
        previous_terms.contract_id,
        next_terms.contract_id as renewal_contract_id,
        row_number() over (
            partition by previous_terms.contract_id
            order by
                case
                    when
                        next_terms.crm_contract_type = 'renewal'
                        and next_terms.previous_contract_id = previous_terms.contract_id
                        then 0
                    else 1
                end,
                next_terms.start_date,
                next_terms.contract_id
        ) as candidate_rank
    from sized as previous_terms
    cross join kpi_settings
    inner join sized as next_terms
        on
            previous_terms.customer_id = next_terms.customer_id
            and previous_terms.product_line = next_terms.product_line
            and previous_terms.contract_id != next_terms.contract_id
            and previous_terms.start_date < next_terms.start_date
            and {{ dbt.dateadd('day', 'kpi_settings.renewal_grace_period_days', 'previous_terms.end_date') }}
            >= next_terms.start_date
    where
        next_terms.start_date > previous_terms.end_date
        or (
            next_terms.crm_contract_type = 'renewal'
            and next_terms.previous_contract_id = previous_terms.contract_id
        )
),

renewals as (
    select
        contract_id,
        renewal_contract_id
    from renewal_candidates
    where candidate_rank = 1
),

renewing_terms as (
    select distinct renewal_contract_id as contract_id
    from renewals
),

-- what the customer already held when a term started: its other terms that started
-- earlier and were still running the day before (terms signed the same day are one deal)
held_on_start as (
    select
        sized.contract_id,
        max(case when held.product_line = sized.product_line then 1 else 0 end) as held_same_line,
        count(held.contract_id) as held_term_count
    from sized
    left join sized as held
        on
            sized.customer_id = held.customer_id
            and sized.contract_id != held.contract_id
            and sized.start_date > held.start_date
            and {{ dbt.dateadd('day', -1, 'sized.start_date') }} <= held.end_date
    group by sized.contract_id
),

final as (
    select
        sized.contract_id,
        sized.customer_id,
        sized.product_line,
        case
            when renewing_terms.contract_id is not null then 'renewal'
            when held_on_start.held_same_line = 1 then 'upsell'
            when held_on_start.held_term_count > 0 then 'cross_sell'
            else 'new'
        end as contract_type,
        sized.crm_contract_type,
        sized.previous_contract_id,
        sized.salesforce_opportunity_id,
        sized.start_date,
        sized.end_date,
        sized.term_months,
        cast(sized.amount_jpy as {{ dbt.type_numeric() }}) as amount_jpy,
        cast(round(sized.amount_jpy / sized.term_months, 0) as {{ dbt.type_numeric() }}) as monthly_revenue_jpy,
        cast(
            sized.amount_jpy - round(sized.amount_jpy / sized.term_months, 0) * (sized.term_months - 1)
            as {{ dbt.type_numeric() }}
        ) as last_month_revenue_jpy,
        renewals.renewal_contract_id
    from sized
    left join renewals
        on sized.contract_id = renewals.contract_id
    left join renewing_terms
        on sized.contract_id = renewing_terms.contract_id
    left join held_on_start
        on sized.contract_id = held_on_start.contract_id
)

select * from final
