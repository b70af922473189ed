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
        {{ raw_row_json('source', 'crm', 'customers') }} as raw_row_json,
        {{ raw_row_json('source', 'crm', 'customers', exclude=['exported_at']) }} as raw_content_json
    from source
),

deduplicated as (
    select
        *,
        {{ dbt.hash('raw_row_json') }} as raw_row_hash,
        row_number() over (partition by raw_row_json order by raw_row_json) as raw_copy_number,
        row_number() over (
            partition by raw_content_json
            order by exported_at_utc, raw_row_json
        ) > 1 as is_exact_duplicate
    from parsed
),

keyed as (
    select
        *,
        coalesce(is_deleted, false) as is_soft_deleted,
        sum(case when not is_exact_duplicate and not coalesce(is_deleted, false) then 1 else 0 end)
            over (partition by customer_id) as live_rows_with_same_id
    from deduplicated
),

checked as (
    select
        *,
        case
            when is_exact_duplicate then null
            when customer_id is null then 'missing primary key'
            when is_deleted_unreadable then 'unparseable boolean'
            when is_soft_deleted then null
            when live_rows_with_same_id > 1 then 'duplicate primary key'
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
        {{ dbt.hash(dbt.concat(['raw_row_hash', "'|'", dbt.cast('raw_copy_number', dbt.type_string())])) }}
            as raw_row_id,
        'crm' as source_system,
        'customers' as source_table,
        coalesce(customer_id, raw_row_hash) as source_row_id,
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
        exported_at_utc,
        case
            when is_exact_duplicate then 'removed_exact_duplicate'
            when quarantine_reason_found is not null then 'quarantined'
            when is_soft_deleted then 'removed_soft_delete'
            else 'staged'
        end as row_disposition,
        quarantine_reason_found as quarantine_reason,
        raw_row_json,
        raw_row_hash
    from checked
)

select * from final
