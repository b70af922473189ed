-- Every raw Salesforce task (activity), cast, with its type mapped through the seed, its
-- polymorphic who / what ids split by Salesforce key prefix, and its row disposition:
-- staged, quarantined (with the reason) or removed as a soft delete.
{%- set id_prefixes = var('salesforce_id_prefixes') %}
with

source as (
    {{ raw_source('salesforce', 'task') }}
),

task_types as (
    {{ picklist_values('salesforce_task_type') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as task_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ salesforce_id('who_id') }} as who_id,
        {{ salesforce_id('what_id') }} as what_id,
        {{ salesforce_id('owner_id') }} as owner_user_id,
        {{ normalize_text('subject') }} as subject,
        {{ normalize_text('type') }} as task_type_raw,
        {{ normalize_text('status') }} as task_status,
        {{ parse_date('activity_date') }} as activity_date,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('activity_date', parse_date('activity_date')) }} as is_activity_date_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'task') }}
    from source
),

mapped as (
    select
        parsed.*,
        -- the type only labels the task: one we do not know is kept as 'other'
        case when parsed.task_type_raw is not null then coalesce(task_types.task_type, 'other') end as task_type,
        task_types.raw_type is not null as is_known_type,
        case when parsed.who_id like '{{ id_prefixes.lead }}%' then parsed.who_id end as lead_id,
        case when parsed.who_id like '{{ id_prefixes.contact }}%' then parsed.who_id end as contact_id,
        case when parsed.what_id like '{{ id_prefixes.account }}%' then parsed.what_id end as account_id,
        case when parsed.what_id like '{{ id_prefixes.opportunity }}%' then parsed.what_id end as opportunity_id
    from parsed
    left join task_types
        on parsed.task_type_raw = task_types.raw_type
),

{{ staging_row_keys('mapped', 'task_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('task_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > synced_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
            when is_activity_date_unreadable then 'unparseable date'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'task', 'task_id') }},
        task_id,
        who_id,
        lead_id,
        contact_id,
        what_id,
        account_id,
        opportunity_id,
        owner_user_id,
        subject,
        task_type_raw,
        task_type,
        task_status,
        coalesce(task_status in ({{ sql_values_list(var('salesforce_task_completed_statuses')) }}), false)
            as is_completed,
        activity_date,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
