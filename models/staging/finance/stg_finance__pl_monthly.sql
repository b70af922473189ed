-- Monthly P&L lines that passed every staging check: one row per month, business unit and line item.
with

pl_lines as (
    select * from {{ ref('base_finance__pl_monthly') }}
),

final as (
    select
        pl_line_id,
        month_start_date,
        business_unit,
        line_item,
        amount_jpy,
        exported_at_utc
    from pl_lines
    where row_disposition = 'staged'
)

select * from final
