-- Row conservation: for every raw table, the rows read straight from the source (its current
-- rows, for a table in connector history mode) equal
-- staged + quarantined + removed (soft delete + exact duplicate) in stg_load_audit, the
-- staged count equals the rows of the stg model, and the quarantined count equals the rows
-- of that table in stg_quarantine. Returns one row per raw table that does not add up.
with

{% for raw_table in staging_raw_tables() %}
    {{ raw_table.base_model }}_counts as (
        select
            '{{ raw_table.source_system }}' as source_system,
            '{{ raw_table.source_table }}' as source_table,
            (
                select count(*)
                from ({{ raw_source(raw_table.source_system, raw_table.source_table) }}) as raw_rows
            ) as source_row_count,
            (select count(*) from {{ ref(raw_table.stg_model) }}) as stg_model_row_count
    ),

{% endfor -%}
independent_counts as (
    {%- for raw_table in staging_raw_tables() %}
        select * from {{ raw_table.base_model }}_counts
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

audit as (
    select * from {{ ref('stg_load_audit') }}
),

quarantine_counts as (
    select
        source_system,
        source_table,
        count(*) as quarantine_row_count
    from {{ ref('stg_quarantine') }}
    group by
        source_system,
        source_table
),

compared as (
    select
        independent_counts.source_system,
        independent_counts.source_table,
        independent_counts.source_row_count,
        independent_counts.stg_model_row_count,
        coalesce(quarantine_counts.quarantine_row_count, 0) as quarantine_row_count,
        audit.raw_row_count,
        audit.staged_row_count,
        audit.quarantined_row_count,
        audit.removed_soft_delete_count,
        audit.removed_duplicate_count
    from independent_counts
    left join audit
        on
            independent_counts.source_system = audit.source_system
            and independent_counts.source_table = audit.source_table
    left join quarantine_counts
        on
            independent_counts.source_system = quarantine_counts.source_system
            and independent_counts.source_table = quarantine_counts.source_table
),

final as (
    select *
    from compared
    where
        raw_row_count is null
        or source_row_count != raw_row_count
        or source_row_count
        != staged_row_count + quarantined_row_count + removed_soft_delete_count + removed_duplicate_count
        or stg_model_row_count != staged_row_count
        or quarantine_row_count != quarantined_row_count
)

select * from final
