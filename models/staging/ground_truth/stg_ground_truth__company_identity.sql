-- Ground truth of company identity, with source_table written the way identity resolution
-- writes it ('<system>.<raw table>', e.g. 'salesforce.lead'): one row per source record.
{{ config(enabled=var('identity_quality_enabled', false)) }}
with

source as (
    select * from {{ source('ground_truth', 'company_identity') }}
),

final as (
    select
        trim(source_system) as source_system,
        {{ dbt.concat(['trim(source_system)', "'.'", 'trim(source_table)']) }} as source_table,
        trim(source_record_id) as source_record_id,
        trim(true_company_id) as true_company_id
    from source
)

select * from final
