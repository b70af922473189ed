-- CRM customers that passed every staging check, export repeats removed: one row per customer of one business unit.
with

customers as (
    select * from {{ ref('base_crm__customers') }}
),

final as (
    select
        raw_row_id,
        customer_id,
        corporate_number,
        has_invalid_corporate_number,
        customer_name,
        company_name_normalized,
        website,
        web_domain,
        industry,
        employee_count,
        business_unit,
        salesforce_account_id,
        created_at,
        created_at_utc,
        updated_at,
        exported_at_utc
    from customers
    where row_disposition = 'staged'
)

select * from final
