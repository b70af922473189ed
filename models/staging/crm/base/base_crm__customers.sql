-- Every raw CRM customer row, cast and cleaned, with its row disposition: staged,
-- quarantined (with the reason), removed as a soft delete, or removed as an exact repeat of
-- an earlier row (the nightly export can write the same row twice; copies differ at most
-- in exported_at).
with

source as (
    {{ raw_source('crm', 'customers') }}
),

parsed as (
    select
        nullif(trim(customer_id), '') as customer_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ normalize_corporate_number('corporate_number') }} as corporate_number,
        {{ normalize_text('customer_name') }} as customer_name,
        {{ normalize_company_name('customer_name') }} as company_name_normalized,
        {{ normalize_text('domain') }} as website,
        {{ normalize_web_domain('domain') }} as web_domain,
        {{ normalize_text('industry') }} as industry,
        {{ parse_number('employee_count', 'integer') }} as employee_count,
        {{ normalize_text('business_unit') }} as business_unit,
        {{ salesforce_id('sfdc_account_id') }} as salesforce_account_id,
        {{ parse_timestamp('created_at') }} as created_at_utc,
        {{ parse_timestamp('updated_at') }} as updated_at_utc,
        {{ parse_timestamp('exported_at') }} as exported_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('corporate_number', normalize_corporate_number('corporate_number')) }}
            as is_corporate_number_unreadable,
        {{ is_unreadable('employee_count', parse_number('employee_count', 'integer')) }}
            as is_employee_count_unreadable,
        (
            {{ is_unreadable('created_at', parse_timestamp('created_at')) }}
            or {{ is_unreadable('updated_at', parse_timestamp('updated_at')) }}
        ) as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'crm', 'customers', ['exported_at']) }}
    from source
),

{{ staging_row_keys('parsed', 'customer_id', soft_delete_flag='is_deleted', copies_ordered_by='exported_at_utc') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('customer_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > exported_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
            when is_employee_count_unreadable then 'unparseable number'
            when employee_count < 0 then 'negative number'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('crm', 'customers', 'customer_id') }},
        customer_id,
        corporate_number,
        is_corporate_number_unreadable as has_invalid_corporate_number,
        customer_name,
        company_name_normalized,
        website,
        web_domain,
        industry,
        employee_count,
        business_unit,
        salesforce_account_id,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        {{ to_jst('updated_at_utc') }} as updated_at,
        exported_at_utc
    from checked
)

select * from final
