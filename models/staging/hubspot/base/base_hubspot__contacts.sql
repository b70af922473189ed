-- Every raw HubSpot contact, cast and cleaned, with its lifecycle stage checked against the
-- seed and its row disposition: staged, quarantined (with the reason) or removed because
-- the contact was deleted or merged away in HubSpot.
with

source as (
    {{ raw_source('hubspot', 'contact') }}
),

lifecycle_stages as (
    {{ picklist_values('hubspot_lifecycle_stage') }}
),

parsed as (
    select
        nullif(trim(id), '') as hubspot_contact_id,
        {{ parse_boolean('_fivetran_deleted') }} as is_deleted,
        property_email as email,
        {{ normalize_email('property_email') }} as email_normalized,
        {{ normalize_text('property_firstname') }} as first_name,
        {{ normalize_text('property_lastname') }} as last_name,
        {{ normalize_text('property_company') }} as company_name,
        {{ normalize_company_name('property_company') }} as company_name_normalized,
        {{ normalize_text('property_phone') }} as phone,
        {{ normalize_text('property_jobtitle') }} as title,
        lower({{ normalize_text('property_lifecyclestage') }}) as lifecycle_stage,
        {{ parse_timestamp('property_hs_lifecyclestage_lead_date') }} as became_lead_at_utc,
        {{ parse_timestamp('property_hs_lifecyclestage_marketingqualifiedlead_date') }} as became_mql_at_utc,
        {{ parse_timestamp('property_hs_lifecyclestage_salesqualifiedlead_date') }} as became_sql_at_utc,
        {{ parse_timestamp('property_hs_lifecyclestage_opportunity_date') }} as became_opportunity_at_utc,
        {{ parse_timestamp('property_hs_lifecyclestage_customer_date') }} as became_customer_at_utc,
        {{ parse_number('property_hubspotscore', 'integer') }} as hubspot_score,
        upper({{ normalize_text('property_hs_analytics_source') }}) as analytics_source,
        {{ parse_number('property_hs_analytics_num_page_views', 'integer') }} as page_view_count,
        {{ parse_number('property_hs_analytics_num_visits', 'integer') }} as visit_count,
        {{ parse_timestamp('property_hs_analytics_last_visit_timestamp') }} as last_visit_at_utc,
        {{ salesforce_id('property_salesforceleadid') }} as salesforce_lead_id,
        nullif(trim(property_associatedcompanyid), '') as hubspot_company_id,
        {{ normalize_text('property_business_unit') }} as business_unit,
        {{ parse_timestamp('property_createdate') }} as created_at_utc,
        {{ parse_timestamp('_fivetran_synced') }} as synced_at_utc,
        {{ is_unreadable('_fivetran_deleted', parse_boolean('_fivetran_deleted')) }} as is_deleted_unreadable,
        (
            {{ is_unreadable(
                'property_hs_lifecyclestage_lead_date',
                parse_timestamp('property_hs_lifecyclestage_lead_date')
            ) }}
            or {{ is_unreadable(
                'property_hs_lifecyclestage_marketingqualifiedlead_date',
                parse_timestamp('property_hs_lifecyclestage_marketingqualifiedlead_date')
            ) }}
            or {{ is_unreadable(
                'property_hs_lifecyclestage_salesqualifiedlead_date',
                parse_timestamp('property_hs_lifecyclestage_salesqualifiedlead_date')
            ) }}
            or {{ is_unreadable(
                'property_hs_lifecyclestage_opportunity_date',
                parse_timestamp('property_hs_lifecyclestage_opportunity_date')
            ) }}
            or {{ is_unreadable(
                'property_hs_lifecyclestage_customer_date',
                parse_timestamp('property_hs_lifecyclestage_customer_date')
            ) }}
            or {{ is_unreadable(
                'property_hs_analytics_last_visit_timestamp',
                parse_timestamp('property_hs_analytics_last_visit_timestamp')
            ) }}
            or {{ is_unreadable('property_createdate', parse_timestamp('property_createdate')) }}
        ) as is_timestamp_unreadable,
        (
            {{ is_unreadable('property_hubspotscore', parse_number('property_hubspotscore', 'integer')) }}
            or {{ is_unreadable(
                'property_hs_analytics_num_page_views',
                parse_number('property_hs_analytics_num_page_views', 'integer')
            ) }}
            or {{ is_unreadable(
                'property_hs_analytics_num_visits',
                parse_number('property_hs_analytics_num_visits', 'integer')
            ) }}
        ) as is_number_unreadable,
        {{ raw_row_fingerprint('source', 'hubspot', 'contact') }}
    from source
),

mapped as (
    select
        parsed.*,
        lifecycle_stages.stage_order as lifecycle_stage_order,
        lifecycle_stages.lifecycle_stage is not null as is_known_lifecycle_stage
    from parsed
    left join lifecycle_stages
        on parsed.lifecycle_stage = lifecycle_stages.lifecycle_stage
),

{{ staging_row_keys('mapped', 'hubspot_contact_id', soft_delete_flag='is_deleted') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('hubspot_contact_id', 'is_deleted') }}
            when is_timestamp_unreadable then 'unparseable timestamp'
            when created_at_utc is null then 'missing creation timestamp'
            -- a record cannot be created after the sync (or export) that carried it: a clock or
            -- typing error that would move the as-of date past the data
            when created_at_utc > synced_at_utc then 'timestamp after export'
            when created_at_utc < {{ plausible_earliest_timestamp() }} then 'implausible date'
            when is_number_unreadable then 'unparseable number'
            when page_view_count < 0 or visit_count < 0 then 'negative number'
            when lifecycle_stage is not null and not is_known_lifecycle_stage then 'unknown lifecycle stage'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('hubspot', 'contact', 'hubspot_contact_id') }},
        hubspot_contact_id,
        email,
        email_normalized,
        first_name,
        last_name,
        company_name,
        company_name_normalized,
        phone,
        title,
        lifecycle_stage,
        lifecycle_stage_order,
        {{ to_jst('became_lead_at_utc') }} as became_lead_at,
        {{ to_jst('became_mql_at_utc') }} as became_mql_at,
        {{ to_jst('became_sql_at_utc') }} as became_sql_at,
        {{ to_jst('became_opportunity_at_utc') }} as became_opportunity_at,
        {{ to_jst('became_customer_at_utc') }} as became_customer_at,
        hubspot_score,
        analytics_source,
        page_view_count,
        visit_count,
        {{ to_jst('last_visit_at_utc') }} as last_visit_at,
        salesforce_lead_id,
        hubspot_company_id,
        business_unit,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        synced_at_utc
    from checked
)

select * from final
