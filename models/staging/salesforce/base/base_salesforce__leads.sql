-- Every raw Salesforce lead, cast and cleaned, with its row disposition: staged,
-- quarantined (with the reason) or removed as a soft delete.
with

source as (
    {{ raw_source('salesforce', 'lead') }}
),

lead_statuses as (
    {{ picklist_values('salesforce_lead_status') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as lead_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ normalize_text('first_name') }} as first_name,
        {{ normalize_text('last_name') }} as last_name,
        email,
        {{ normalize_email('email') }} as email_normalized,
        {{ normalize_text('phone') }} as phone,
        {{ normalize_text('company') }} as company_name,
        {{ normalize_company_name('company') }} as company_name_normalized,
        {{ normalize_text('title') }} as title,
        {{ normalize_text('industry') }} as industry,
        {{ parse_number('number_of_employees', 'integer') }} as employee_count,
        {{ normalize_text('website') }} as website,
        {{ normalize_web_domain('website') }} as web_domain,
        {{ normalize_text('lead_source') }} as lead_source,
        {{ normalize_text('status') }} as lead_status,
        {{ parse_boolean('is_converted') }} as is_converted,
        {{ parse_date('converted_date') }} as converted_date,
        {{ salesforce_id('converted_account_id') }} as converted_account_id,
        {{ salesforce_id('converted_contact_id') }} as converted_contact_id,
        {{ salesforce_id('converted_opportunity_id') }} as converted_opportunity_id,
        {{ salesforce_id('owner_id') }} as owner_user_id,
        {{ normalize_text('business_unit__c') }} as business_unit,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('last_modified_date') }} as last_modified_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('is_converted', parse_boolean('is_converted')) }} as is_converted_unreadable,
        {{ is_unreadable('number_of_employees', parse_number('number_of_employees', 'integer')) }}
            as is_employee_count_unreadable,
        {{ is_unreadable('converted_date', parse_date('converted_date')) }} as is_converted_date_unreadable,
        (
            {{ is_unreadable('created_date', parse_timestamp('created_date')) }}
            or {{ is_unreadable('last_modified_date', parse_timestamp('last_modified_date')) }}
        ) as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'lead') }}
    from source
),

mapped as (
    select
        parsed.*,
        lead_statuses.lead_status_code
    from parsed
    left join lead_statuses
        on parsed.lead_status = lead_statuses.status_value
),

{{ staging_row_keys('mapped', 'lead_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('lead_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > synced_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
            when is_converted_date_unreadable then 'unparseable date'
            when is_converted_unreadable then 'unparseable boolean'
            when is_employee_count_unreadable then 'unparseable number'
            when employee_count < 0 then 'negative number'
            -- the status defines the SQL stage; a converted lead is converted whatever it says
            when lead_status is not null and lead_status_code is null and not coalesce(is_converted, false)
                then 'unknown lead status'
            when converted_date < cast({{ to_jst('created_at_utc') }} as date) then 'conversion before creation'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'lead', 'lead_id') }},
        lead_id,
        first_name,
        last_name,
        email,
        email_normalized,
        phone,
        company_name,
        company_name_normalized,
        title,
        industry,
        employee_count,
        website,
        web_domain,
        lead_source,
        lead_status,
        case when is_converted then 'converted' else lead_status_code end as lead_status_code,
        coalesce(is_converted, false) as is_converted,
        converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        owner_user_id,
        business_unit,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        {{ to_jst('last_modified_at_utc') }} as last_modified_at,
        synced_at_utc
    from checked
)

select * from final
