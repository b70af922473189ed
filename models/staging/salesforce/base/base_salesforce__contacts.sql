-- Every raw Salesforce contact, cast and cleaned, with its row disposition: staged,
-- quarantined (with the reason) or removed as a soft delete.
with

source as (
    {{ raw_source('salesforce', 'contact') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as contact_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ salesforce_id('account_id') }} as account_id,
        {{ normalize_text('first_name') }} as first_name,
        {{ normalize_text('last_name') }} as last_name,
        email,
        {{ normalize_email('email') }} as email_normalized,
        {{ normalize_text('phone') }} as phone,
        {{ normalize_text('title') }} as title,
        {{ normalize_text('lead_source') }} as lead_source,
        {{ salesforce_id('owner_id') }} as owner_user_id,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'contact') }}
    from source
),

{{ staging_row_keys('parsed', 'contact_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('contact_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > synced_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'contact', 'contact_id') }},
        contact_id,
        account_id,
        first_name,
        last_name,
        email,
        email_normalized,
        phone,
        title,
        lead_source,
        owner_user_id,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
