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
        {{ raw_row_json('source', 'salesforce', 'user') }} as raw_row_json
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

keyed as (
    select
        *,
        {{ dbt.hash('raw_row_json') }} as raw_row_hash,
        row_number() over (partition by raw_row_json order by raw_row_json) as raw_copy_number,
        count(*) over (partition by user_id) as rows_with_same_id
    from mapped
),

checked as (
    select
        *,
        case
            when user_id is null then 'missing primary key'
            when rows_with_same_id > 1 then 'duplicate primary key'
            when is_active_unreadable then 'unparseable boolean'
            when is_timestamp_unreadable then 'unparseable timestamp'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ dbt.hash(dbt.concat(['raw_row_hash', "'|'", dbt.cast('raw_copy_number', dbt.type_string())])) }}
            as raw_row_id,
        'salesforce' as source_system,
        'user' as source_table,
        coalesce(user_id, raw_row_hash) as source_row_id,
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
        synced_at_utc,
        case
            when quarantine_reason_found is not null then 'quarantined'
            else 'staged'
        end as row_disposition,
        quarantine_reason_found as quarantine_reason,
        raw_row_json,
        raw_row_hash
    from checked
)

select * from final
