-- How much of each system is traced to the others (MA/SFA/CRM 連携の網羅率): one row per check.
--   ma_leads_traced_to_ma_contact        Salesforce leads that came from MA (lead_source in
--                                        var ma_originated_lead_sources) whose person has a
--                                        HubSpot contact. Leads created directly in SFA
--                                        (seminar lists, referrals, outbound) have no MA
--                                        contact by design and are left out.
--   opportunities_traced_to_person       Salesforce opportunities whose primary contact, or
--                                        the lead converted into them, belongs to a person
--   crm_customers_traced_to_sfa_account  CRM customers whose company has a Salesforce account
-- minimum_rate comes from var integration_coverage_minimum_rates; a check with nothing to
-- count (denominator 0) has no rate and passes.
{%- set minimum_rates = var('integration_coverage_minimum_rates') %}
with

person_records as (
    select * from {{ ref('int_person_records') }}
),

person_identity as (
    select * from {{ ref('int_person_identity') }}
),

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

people_in_ma as (
    select distinct person_id
    from person_identity
    where source_table = 'hubspot.contact'
),

ma_leads as (
    select
        person_identity.person_id,
        person_records.source_record_id as lead_id
    from person_records
    inner join person_identity
        on person_records.record_key = person_identity.record_key
    where
        person_records.source_table = 'salesforce.lead'
        and person_records.lead_source in ({{ sql_values_list(var('ma_originated_lead_sources')) }})
),

ma_lead_coverage as (
    select
        'ma_leads_traced_to_ma_contact' as check_name,
        'MA発リードのMAコンタクト紐付け率 / MA-originated SFA leads traced to an MA contact'
            as check_description,
        count(*) as denominator,
        sum(case when people_in_ma.person_id is not null then 1 else 0 end) as numerator
    from ma_leads
    left join people_in_ma
        on ma_leads.person_id = people_in_ma.person_id
),

salesforce_contacts as (
    select source_record_id as contact_id
    from person_identity
    where source_table = 'salesforce.contact'
),

converted_opportunities as (
    select distinct converted_opportunity_id as opportunity_id
    from person_records
    where
        source_table = 'salesforce.lead'
        and converted_opportunity_id is not null
),

traced_opportunities as (
    select
        opportunities.opportunity_id,
        (
            salesforce_contacts.contact_id is not null
            or converted_opportunities.opportunity_id is not null
        ) as is_traced
    from opportunities
    left join salesforce_contacts
        on opportunities.contact_id = salesforce_contacts.contact_id
    left join converted_opportunities
        on opportunities.opportunity_id = converted_opportunities.opportunity_id
),

opportunity_coverage as (
    select
        'opportunities_traced_to_person' as check_name,
        '商談の人物紐付け率 / Opportunities traced to a lead or person' as check_description,
        count(*) as denominator,
        sum(case when is_traced then 1 else 0 end) as numerator
    from traced_opportunities
),

companies_with_account as (
    select distinct company_id
    from company_identity
    where source_table = 'salesforce.account'
),

crm_customers as (
    select company_id
    from company_identity
    where source_table = 'crm.customers'
),

crm_customer_coverage as (
    select
        'crm_customers_traced_to_sfa_account' as check_name,
        'CRM顧客のSFA取引先紐付け率 / CRM customers traced to an SFA account' as check_description,
        count(*) as denominator,
        sum(case when companies_with_account.company_id is not null then 1 else 0 end) as numerator
    from crm_customers
    left join companies_with_account
        on crm_customers.company_id = companies_with_account.company_id
),

checks as (
    select * from ma_lead_coverage
    union all
    select * from opportunity_coverage
    union all
    select * from crm_customer_coverage
),

minimum_rates as (
    {% for check_name, minimum_rate in minimum_rates.items() %}
        select
            '{{ check_name }}' as check_name,
            cast({{ minimum_rate }} as {{ dbt.type_numeric() }}) as minimum_rate
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rated as (
    select
        checks.check_name,
        checks.check_description,
        cast(coalesce(checks.numerator, 0) as {{ dbt.type_bigint() }}) as numerator,
        cast(checks.denominator as {{ dbt.type_bigint() }}) as denominator,
        cast(
            case
                when checks.denominator > 0
                    then cast(coalesce(checks.numerator, 0) as {{ dbt.type_numeric() }}) / checks.denominator
            end as {{ dbt.type_numeric() }}
        ) as coverage_rate,
        minimum_rates.minimum_rate
    from checks
    left join minimum_rates
        on checks.check_name = minimum_rates.check_name
),

final as (
    select
        check_name,
        check_description,
        numerator,
        denominator,
        coverage_rate,
        minimum_rate,
        coalesce(coverage_rate >= minimum_rate, denominator = 0) as is_passing
    from rated
)

select * from final
