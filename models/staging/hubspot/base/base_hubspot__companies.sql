-- Every raw HubSpot company, cast and cleaned, with its row disposition: staged,
-- quarantined (with the reason) or removed because it was deleted in HubSpot.
with

source as (
    {{ raw_source('hubspot', 'company') }}
),

parsed as (
    select
        nullif(trim(id), '') as hubspot_company_id,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted,
        {{ normalize_text('property_name') }} as company_name,
        {{ normalize_company_name('property_name') }} as company_name_normalized,
        {{ normalize_text('property_domain') }} as website,
        {{ normalize_web_domain('property_domain') }} as web_domain,
        {{ normalize_text('property_industry') }} as industry,
        {{ parse_number('property_numberofemployees', 'integer') }} as employee_count,
        {{ normalize_corporate_number('property_corporate_number') }} as corporate_number,
        {{ normalize_text('property_business_unit') }} as business_unit,
        {{ parse_timestamp('property_createdate') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('_fivetran_deleted', parse_boolean('_fivetran_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('property_numberofemployees', parse_number('property_numberofemployees', 'integer')) }}
            as is_employee_count_unreadable,
        {{ is_unreadable('property_corporate_number', normalize_corporate_number('property_corporate_number')) }}
            as is_corporate_number_unreadable,
        {{ is_unreadable('property_createdate', parse_timestamp('property_createdate')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'hubspot', 'company') }}
    from source
),

{{ staging_row_keys('parsed', 'hubspot_company_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('hubspot_company_id', 'is_deleted') }}
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
        {{ staging_row_disposition('hubspot', 'company', 'hubspot_company_id') }},
        hubspot_company_id,
        company_name,
        company_name_normalized,
        website,
        web_domain,
        industry,
        employee_count,
        corporate_number,
        is_corporate_number_unreadable as has_invalid_corporate_number,
        business_unit,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
