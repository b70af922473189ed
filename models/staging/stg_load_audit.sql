-- One row per raw table: how many raw rows arrived and what staging did with each of them
-- (staged, quarantined, removed as a soft delete, removed as an exact duplicate). A table
-- with no rows still gets its row, with zero counts.
with

{% for raw_table in staging_raw_tables() %}
    {{ raw_table.base_model }} as (
        select
            '{{ raw_table.source_system }}' as source_system,
            '{{ raw_table.source_table }}' as source_table,
            count(*) as raw_row_count,
            coalesce(sum(case when row_disposition = 'staged' then 1 else 0 end), 0) as staged_row_count,
            coalesce(sum(case when row_disposition = 'quarantined' then 1 else 0 end), 0) as quarantined_row_count,
            coalesce(sum(case when row_disposition = 'removed_soft_delete' then 1 else 0 end), 0)
                as removed_soft_delete_count,
            coalesce(sum(case when row_disposition = 'removed_exact_duplicate' then 1 else 0 end), 0)
                as removed_duplicate_count
        from {{ ref(raw_table.base_model) }}
    ),

{% endfor -%}
unioned as (
    {%- for raw_table in staging_raw_tables() %}
        select * from {{ raw_table.base_model }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.concat(['source_system', "'.'", 'source_table']) }} as raw_table_id,
        source_system,
        source_table,
        raw_row_count,
        staged_row_count,
        quarantined_row_count,
        removed_soft_delete_count,
        removed_duplicate_count
    from unioned
)

select * from final
