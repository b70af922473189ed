-- Every staged Salesforce opportunity (商談): one row per opportunity, with its type, amount,
-- dates, days to close, the product lines of its line items, and the company and person it
-- belongs to across systems. A person with several opportunities keeps them all here.
with

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

line_items as (
    select * from {{ ref('stg_salesforce__opportunity_line_items') }}
),

products as (
    select * from {{ ref('stg_salesforce__products') }}
),

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

channels as (
    select * from {{ ref('lead_source_channels') }}
),

opportunity_product_lines as (
    select distinct
        line_items.opportunity_id,
        products.product_line
    from line_items
    inner join products
        on line_items.product_id = products.product_id
    where products.product_line is not null
),

product_lines_by_opportunity as (
    select
        opportunity_id,
        {{ dbt.listagg('product_line', "', '", 'order by product_line') }} as product_lines,
        count(*) as product_line_count
    from opportunity_product_lines
    group by opportunity_id
),

final as (
    select
        opportunities.opportunity_id,
        opportunities.account_id,
        company_identity.company_id,
        person_identity.person_id,
        opportunities.contact_id,
        opportunities.opportunity_name,
        opportunities.opportunity_type,
        opportunities.stage_name,
        opportunities.is_closed,
        opportunities.is_won,
        cast(opportunities.amount_jpy as {{ dbt.type_numeric() }}) as amount_jpy,
        cast(opportunities.probability_rate as {{ dbt.type_numeric() }}) as probability_rate,
        opportunities.created_at,
        cast(opportunities.created_at as date) as created_date,
        opportunities.close_date,
        cast({{ dbt.date_trunc('month', 'opportunities.close_date') }} as date) as close_month_start_date,
        case
            when opportunities.is_closed
                then cast(
                    {{ dbt.datediff('cast(opportunities.created_at as date)', 'opportunities.close_date', 'day') }}
                    as {{ dbt.type_bigint() }}
                )
        end as days_to_close,
        product_lines_by_opportunity.product_lines,
        cast(coalesce(product_lines_by_opportunity.product_line_count, 0) as {{ dbt.type_bigint() }})
            as product_line_count,
        opportunities.business_unit,
        opportunities.owner_user_id,
        opportunities.lead_source,
        case
            when opportunities.lead_source is not null then coalesce(channels.channel, 'unmapped')
        end as channel
    from opportunities
    left join company_identity
        on
            company_identity.source_table = 'salesforce.account'
            and opportunities.account_id = company_identity.source_record_id
    left join person_identity
        on
            person_identity.source_table = 'salesforce.contact'
            and opportunities.contact_id = person_identity.source_record_id
    left join product_lines_by_opportunity
        on opportunities.opportunity_id = product_lines_by_opportunity.opportunity_id
    left join channels
        on
            channels.source_system = 'salesforce'
            and lower(opportunities.lead_source) = lower(channels.source_value)
)

select * from final
