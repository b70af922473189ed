-- Every raw Salesforce user, cast and cleaned, with the department mapped to our department
-- codes and its row disposition: staged or quarantined (users carry no soft-delete flag).
with

source as (
    {{ raw_source('salesforce', 'user') }}
),

user_departments as (
    {{ picklist_values('salesforce_user_department') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as user_id,
        {{ normalize_text('name') }} as user_name,
        email,
        {{ normalize_email('email') }} as email_normalized,
        {{ normalize_text('department') }} as department,
        {{ normalize_text('division') }} as business_unit,
        {{ parse_boolean('is_active') }} as is_active,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_active', parse_boolean('is_active')) }} as is_active_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'user') }}
    from source
),

mapped as (
    select
        parsed.*,
        user_departments.department_code
    from parsed
    left join user_departments
        on parsed.department = user_departments.raw_department
),

{{ staging_row_keys('mapped', 'user_id') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('user_id') }}
            when is_active_unreadable then 'unparseable boolean'
            when is_timestamp_unreadable then 'unparseable timestamp'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'user', 'user_id') }},
        user_id,
        user_name,
        email,
        email_normalized,
        department,
        department_code,
        business_unit,
        coalesce(is_active, false) as is_active,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
