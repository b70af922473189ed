-- Contract terms (契約): one row per CRM contract term, with its type decided from the
-- contracts (int_contracts_renewals_matched), its monthly recognised revenue, its renewal and
-- whether the renewal question is decided on the as-of date: a term is decided once renewed,
-- or once renewal_grace_period_days (kpi_tree.yml) days after its end_date have passed without a renewal.
with

contracts as (
    select * from {{ ref('int_contracts_renewals_matched') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

reporting_period as (
    select * from {{ ref('reporting_period') }}
),

kpi_settings as (
    select * from {{ ref('kpi_tree_settings') }}
),

final as (
    select
        contracts.contract_id,
        contracts.customer_id,
        company_identity.company_id,
        customers.business_unit,
        contracts.product_line,
        contracts.contract_type,
        contracts.crm_contract_type,
        contracts.previous_contract_id,
        contracts.salesforce_opportunity_id,
        contracts.start_date,
        contracts.end_date,
        cast({{ dbt.date_trunc('month', 'contracts.end_date') }} as date) as end_month_start_date,
        contracts.term_months,
        contracts.amount_jpy,
        contracts.monthly_revenue_jpy,
        contracts.last_month_revenue_jpy,
        contracts.renewal_contract_id is not null as is_renewed,
        contracts.renewal_contract_id,
        renewal_terms.amount_jpy as renewal_amount_jpy,
        renewal_terms.monthly_revenue_jpy as renewal_monthly_revenue_jpy,
        (
            contracts.renewal_contract_id is not null
            or {{ dbt.dateadd('day', 'kpi_settings.renewal_grace_period_days', 'contracts.end_date') }}
            < reporting_period.as_of_date
        ) as is_renewal_decided
    from contracts
    cross join reporting_period
    cross join kpi_settings
    left join contracts as renewal_terms
        on contracts.renewal_contract_id = renewal_terms.contract_id
    left join customers
        on contracts.customer_id = customers.customer_id
    left join company_identity
        on
            company_identity.source_table = 'crm.customers'
            and contracts.customer_id = company_identity.source_record_id
)

select * from final
