-- Every raw monthly P&L line, cast, with its row disposition: staged or quarantined (with
-- the reason). The accounting export has no soft deletes and no known repeats, so a repeated
-- month + business unit + line item is quarantined as a duplicate key, never summed.
with

source as (
    {{ raw_source('finance', 'pl_monthly') }}
),

parsed as (
    select
        {{ parse_date('period_month') }} as month_start_date,
        {{ normalize_text('business_unit') }} as business_unit,
        lower({{ normalize_text('line_item') }}) as line_item,
        {{ parse_number('amount_jpy') }} as amount_jpy,
        {{ parse_timestamp('exported_at') }} as exported_at_utc,
        {{ is_unreadable('period_month', parse_date('period_month')) }} as is_date_unreadable,
        {{ is_unreadable('amount_jpy', parse_number('amount_jpy')) }} as is_amount_unreadable,
        {{ raw_row_fingerprint('source', 'finance', 'pl_monthly') }}
    from source
),

identified as (
    select
        *,
        case
            when month_start_date is not null and business_unit is not null and line_item is not null
                then {{ dbt.concat([
                    dbt.cast('month_start_date', dbt.type_string()),
                    "'|'",
                    'business_unit',
                    "'|'",
                    'line_item',
                ]) }}
        end as pl_line_id
    from parsed
),

{{ staging_row_keys('identified', 'pl_line_id') }},

checked as (
    select
        *,
        case
            when is_date_unreadable then 'unparseable date'
            {{ staging_key_checks('pl_line_id') }}
            when month_start_date <> {{ dbt.date_trunc('month', 'month_start_date') }}
                then 'period month not a month start'
            when coalesce(line_item, '') not in ({{ sql_values_list(var('finance_pl_line_items')) }})
                then 'unknown p&l line item'
            when is_amount_unreadable then 'unparseable amount'
            when amount_jpy is null then 'missing amount'
        end as quarantine_reason_found
    from keyed
),

final as (
    select
        {{ staging_row_disposition('finance', 'pl_monthly', 'pl_line_id') }},
        pl_line_id,
        month_start_date,
        business_unit,
        line_item,
        amount_jpy,
        exported_at_utc
    from checked
)

select * from final
