-- Every raw CRM contract term, cast, with its row disposition: staged, quarantined (with the
-- reason), removed as a soft delete, or removed as an exact repeat of an earlier row (the
-- nightly export can write the same row twice; copies differ at most in exported_at).
with

source as (
    {{ raw_source('crm', 'contracts') }}
),

parsed as (
    select
        nullif(trim(contract_id), '') as contract_id,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        nullif(trim(customer_id), '') as customer_id,
        {{ normalize_text('product_line') }} as product_line_as_written,
        lower({{ normalize_text('contract_type') }}) as contract_type,
        nullif(trim(previous_contract_id), '') as previous_contract_id,
        {{ salesforce_id('sfdc_opportunity_id') }} as salesforce_opportunity_id,
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date,
        {{ parse_number('amount_jpy') }} as amount_jpy,
        {{ parse_timestamp('created_at') }} as created_at_utc,
        {{ parse_timestamp('exported_at') }} as exported_at_utc,
        {{ is_unreadable('is_deleted', parse_boolean('is_deleted')) }} as is_deleted_unreadable,
        (
            {{ is_unreadable('start_date', parse_date('start_date')) }}
            or {{ is_unreadable('end_date', parse_date('end_date')) }}
        ) as is_date_unreadable,
        {{ is_unreadable('amount_jpy', parse_number('amount_jpy')) }} as is_amount_unreadable,
        {{ is_unreadable('created_at', parse_timestamp('created_at')) }} as is_timestamp_unreadable,
        {{ raw_row_fingerprint('source', 'crm', 'contracts', ['exported_at']) }}
    from source
),

-- The CRM compares product lines without letter case ("CRM Suite" = "crm suite"): each is
-- spelled as most of its rows spell it, so one line never becomes two (renewals matched
-- against the wrong term, a product line counted twice).
product_line_spellings as (
    select
        lower(product_line_as_written) as product_line_key,
        product_line_as_written,
        row_number() over (
            partition by lower(product_line_as_written)
            order by count(*) desc, product_line_as_written
        ) as spelling_rank
    from parsed
    where product_line_as_written is not null
    group by lower(product_line_as_written), product_line_as_written
),

spelled as (
    select
        parsed.*,
        product_line_spellings.product_line_as_written as product_line
    from parsed
    left join product_line_spellings
        on
            lower(parsed.product_line_as_written) = product_line_spellings.product_line_key
            and product_line_spellings.spelling_rank = 1
),

{{ staging_row_keys('spelled', 'contract_id', soft_delete_flag='is_deleted', copies_ordered_by='exported_at_utc') }},

checked as (
    select
        *,
        case
            {{ staging_key_checks('contract_id', 'is_deleted') }}
            when customer_id is null then 'missing customer id'
            when is_date_unreadable then 'unparseable date'
            when start_date is null or end_date is null then 'missing contract dates'
            when is_amount_unreadable then 'unparseable amount'
            when amount_jpy is null then 'missing amount'
            when amount_jpy < 0 then 'negative amount'
            when coalesce(contract_type, '') not in ({{ sql_values_list(var('crm_contract_types')) }})
                then 'unknown contract type'
            when end_date < start_date then 'contract ends before it starts'
            when start_date < cast({{ plausible_earliest_timestamp() }} as date) then 'implausible date'
            -- a 2062 end-year typo would spread one contract's revenue over decades
            when end_date > {{ dbt.dateadd('year', var('plausible_max_contract_years'), 'start_date') }}
                then 'implausible contract term'
            when is_timestamp_unreadable then 'unparseable timestamp'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('crm', 'contracts', 'contract_id') }},
        contract_id,
        customer_id,
        product_line,
        contract_type,
        previous_contract_id,
        salesforce_opportunity_id,
        start_date,
        end_date,
        amount_jpy,
        {{ to_jst('created_at_utc') }} as created_at,
        created_at_utc,
        exported_at_utc
    from checked
)

select * from final
