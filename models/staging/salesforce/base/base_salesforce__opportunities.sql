-- Every raw Salesforce opportunity, cast and cleaned, with its stage and type mapped through
-- the seeds and its row disposition: staged, quarantined (with the reason) or removed as a
-- soft delete.
with

source as (
    {{ raw_source('salesforce', 'opportunity') }}
),

stages as (
    {{ picklist_values('salesforce_opportunity_stage') }}
),

opportunity_types as (
    {{ picklist_values('salesforce_opportunity_type') }}
),

parsed as (
    select
        {{ salesforce_id('id') }} as opportunity_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ salesforce_id('account_id') }} as account_id,
        {{ salesforce_id('contact_id') }} as contact_id,
        {{ normalize_text('name') }} as opportunity_name,
        {{ normalize_text('type') }} as opportunity_type_raw,
        {{ normalize_text('stage_name') }} as stage_name,
        {{ parse_number('amount') }} as amount_jpy,
        {{ parse_number('probability') }} as probability_percent,
        {{ parse_boolean('is_closed') }} as record_is_closed,
        {{ parse_boolean('is_won') }} as record_is_won,
        {{ parse_date('close_date') }} as close_date,
        {{ normalize_text('lead_source') }} as lead_source,
        {{ salesforce_id('owner_id') }} as owner_user_id,
        {{ normalize_text('business_unit__c') }} as business_unit,
        {{ parse_timestamp('created_date') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        {{ is_unreadable('amount', parse_number('amount')) }} as is_amount_unreadable,
        {{ is_unreadable('probability', parse_number('probability')) }} as is_probability_unreadable,
        {{ is_unreadable('close_date', parse_date('close_date')) }} as is_close_date_unreadable,
        {{ is_unreadable('created_date', parse_timestamp('created_date')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'salesforce', 'opportunity') }}
    from source
),

mapped as (
    select
        parsed.*,
        opportunity_types.opportunity_type,
        stages.stage_order,
        stages.stage_code,
        -- Salesforce derives IsClosed / IsWon from the stage's own settings: they decide,
        -- the seed only fills in when the connector did not sync them
        coalesce(parsed.record_is_closed, stages.is_closed) as stage_is_closed,
        coalesce(parsed.record_is_won, stages.is_won) as stage_is_won,
        stages.default_probability as stage_default_probability,
        stages.stage_name is not null as is_known_stage,
        opportunity_types.raw_type is not null as is_known_type
    from parsed
    left join stages
        on parsed.stage_name = stages.stage_name
    left join opportunity_types
        on parsed.opportunity_type_raw = opportunity_types.raw_type
),

{{ staging_row_keys('mapped', 'opportunity_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('opportunity_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > synced_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
            when is_close_date_unreadable then 'unparseable date'
            when close_date is null then 'missing close date'
            when is_amount_unreadable then 'unparseable amount'
            when amount_jpy < 0 then 'negative amount'
            when is_probability_unreadable then 'unparseable number'
            when probability_percent not between 0 and 100 then 'probability outside 0-100'
            when not is_known_stage and (stage_is_closed is null or stage_is_won is null) then 'unknown stage'
            when opportunity_type_raw is not null and not is_known_type then 'unknown opportunity type'
            when close_date < cast({{ to_jst('created_at_utc') }} as date) then 'close date before creation'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('salesforce', 'opportunity', 'opportunity_id') }},
        opportunity_id,
        account_id,
        contact_id,
        opportunity_name,
        opportunity_type_raw,
        opportunity_type,
        stage_name,
        stage_code,
        stage_order,
        stage_is_closed as is_closed,
        stage_is_won as is_won,
        amount_jpy,
        -- percent (0-100) to a rate (0..1); an empty probability takes the stage default
        coalesce(probability_percent, stage_default_probability) / 100.0 as probability_rate,
        close_date,
        lead_source,
        owner_user_id,
        business_unit,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
