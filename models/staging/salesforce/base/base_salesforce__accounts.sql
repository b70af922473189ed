-- Every raw Salesforce account, cast and cleaned, with its row disposition: staged,
-- quarantined (with the reason) or removed as a soft delete.
with

source as (
    {{ raw_source('salesforce', 'account') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as account_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ normalize_text('name') }} as account_name,
        {{ normalize_company_name('name') }} as company_name_normalized,
        {{ normalize_text('website') }} as website,
        {{ normalize_web_domain('website') }} as web_domain,
        {{ normalize_text('industry') }} as industry,
        {{ parse_number('number_of_employees', 'integer') }} as employee_count,
        {{ normalize_text('type') }} as account_type,
        {{ normalize_corporate_number('corporate_number__c') }} as corporate_number,
        {{ normalize_text('business_unit__c') }} as business_unit,
        {{ salesforce_id('owner_id') }} as owner_user_id,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('number_of_employees', parse_number('number_of_employees', 'integer')) }}
            as is_employee_count_unreadable,
        {{ is_unreadable('corporate_number__c', normalize_corporate_number('corporate_number__c')) }}
            as is_corporate_number_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'account') }}
    from source
),

{{ staging_row_keys('parsed', 'account_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('account_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > synced_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
            when is_employee_count_unreadable then 'unparseable number'
            when employee_count < 0 then 'negative number'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'account', 'account_id') }},
        account_id,
        account_name,
        company_name_normalized,
        website,
        web_domain,
        industry,
        employee_count,
        account_type,
        corporate_number,
        is_corporate_number_unreadable as has_invalid_corporate_number,
        business_unit,
        owner_user_id,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
