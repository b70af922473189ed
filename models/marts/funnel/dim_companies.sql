-- One row per real company across HubSpot companies, Salesforce accounts and the CRM
-- customers of both business units (identity resolution: int_company_identity).
-- Each descriptive attribute comes from the most trusted record that has it: the CRM
-- customer master first (registered data), then the Salesforce account, then the HubSpot
-- company; within one system the earliest-created record. The display name (company_name)
-- is the registered name as a source holds it: a record whose name spells out a registered
-- legal form (var company_registered_legal_forms: 株式会社…, not (株) or カブシキガイシャ) is
-- preferred, then the order above; normalised names are for matching only and never shown.
-- company_name_normalized comes with the chosen company_name; web_domain skips free-mail domains when a company domain
-- is known. is_customer = the company is in the CRM customer master.
{%- set attributes = ['matching_web_domain', 'web_domain', 'industry', 'employee_count', 'owner_user_id'] %}
with

company_identity as (
    select * from {{ ref('int_company_identity') }}
),

company_records as (
    select * from {{ ref('int_company_records') }}
),

records as (
    select
        company_identity.company_id,
        company_identity.match_method,
        company_identity.cluster_corporate_number,
        company_records.*,
        case company_records.source_table
            when 'crm.customers' then 1
            when 'salesforce.account' then 2
            else 3
        end as source_trust_rank
    from company_identity
    inner join company_records
        on company_identity.record_key = company_records.record_key
),

best_company_name as (
    select
        company_id,
        company_name,
        company_name_normalized,
        row_number() over (
            partition by company_id
            order by
                case
                    {%- for legal_form in var('company_registered_legal_forms') %}
                        when {{ dbt.position("'" ~ legal_form ~ "'", 'company_name') }} > 0 then 0
                    {%- endfor %}
                    else 1
                end asc,
                source_trust_rank asc,
                created_at asc,
                source_record_id asc
        ) as attribute_rank
    from records
    where company_name is not null
),

{% for attribute in attributes %}
    best_{{ attribute }} as (
        select
            company_id,
            {{ attribute }},
            row_number() over (
                partition by company_id
                order by source_trust_rank asc, created_at asc, source_record_id asc
            ) as attribute_rank
        from records
        where {{ attribute }} is not null
    ),
{% endfor %}

record_counts as (
    select
        company_id,
        max(cluster_corporate_number) as corporate_number,
        sum(case when source_table = 'hubspot.company' then 1 else 0 end) as hubspot_company_count,
        sum(case when source_table = 'salesforce.account' then 1 else 0 end) as salesforce_account_count,
        sum(case when source_table = 'crm.customers' then 1 else 0 end) as crm_customer_count,
        min(created_at) as first_seen_at
    from records
    group by company_id
),

company_business_units as (
    select distinct
        company_id,
        business_unit
    from records
    where business_unit is not null
),

business_unit_lists as (
    select
        company_id,
        {{ dbt.listagg('business_unit', "','", 'order by business_unit') }} as business_units
    from company_business_units
    group by company_id
),

company_match_methods as (
    select distinct
        company_id,
        match_method
    from records
),

match_method_lists as (
    select
        company_id,
        {{ dbt.listagg('match_method', "','", 'order by match_method') }} as match_methods
    from company_match_methods
    group by company_id
),

final as (
    select
        record_counts.company_id,
        best_company_name.company_name,
        best_company_name.company_name_normalized,
        record_counts.corporate_number,
        coalesce(best_matching_web_domain.matching_web_domain, best_web_domain.web_domain) as web_domain,
        best_industry.industry,
        cast(best_employee_count.employee_count as integer) as employee_count,
        business_unit_lists.business_units,
        record_counts.crm_customer_count > 0 as is_customer,
        best_owner_user_id.owner_user_id,
        cast(record_counts.hubspot_company_count as integer) as hubspot_company_count,
        cast(record_counts.salesforce_account_count as integer) as salesforce_account_count,
        cast(record_counts.crm_customer_count as integer) as crm_customer_count,
        record_counts.first_seen_at,
        match_method_lists.match_methods
    from record_counts
    inner join match_method_lists
        on record_counts.company_id = match_method_lists.company_id
    left join business_unit_lists
        on record_counts.company_id = business_unit_lists.company_id
    left join best_company_name
        on
            record_counts.company_id = best_company_name.company_id
            and best_company_name.attribute_rank = 1
    {% for attribute in attributes %}
        left join best_{{ attribute }}
            on
                record_counts.company_id = best_{{ attribute }}.company_id
                and best_{{ attribute }}.attribute_rank = 1
    {% endfor %}
)

select * from final
