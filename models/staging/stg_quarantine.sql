-- Every raw row that staging could not use, from every raw table: which row it was, why it
-- was set aside, and the row itself as JSON text so that it can be fixed at the source.
with

{% for raw_table in staging_raw_tables() %}
    {{ raw_table.base_model }} as (
        select
            source_system,
            source_table,
            source_row_id,
            quarantine_reason,
            raw_row_json,
            raw_row_id
        from {{ ref(raw_table.base_model) }}
        where row_disposition = 'quarantined'
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
        -- source_row_id can repeat (rows quarantined as a duplicate primary key), so the key
        -- is built on the raw row's own id, which is unique within its base model
        {{ dbt.hash(dbt.concat(['source_system', "'|'", 'source_table', "'|'", 'raw_row_id'])) }}
            as quarantine_id,
        source_system,
        source_table,
        source_row_id,
        quarantine_reason,
        raw_row_json
    from unioned
)

select * from final
