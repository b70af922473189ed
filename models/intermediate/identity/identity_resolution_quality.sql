-- How well identity resolution matches the generator's ground truth, per entity (person,
-- company): pairwise precision and recall over the records present on both sides. A pair is
-- two records of one cluster; a cluster of n records holds n * (n - 1) / 2 pairs, so pairs
-- are counted per cluster, never listed:
--   predicted pairs = Σ over predicted clusters n(n-1)/2
--   true pairs      = Σ over true clusters      n(n-1)/2
--   true positives  = Σ over (predicted, true) cluster intersections m(m-1)/2
--   precision = TP / predicted pairs, recall = TP / true pairs (1 when there is no pair).
-- Disabled with var identity_quality_enabled = false (data without ground truth).
{{ config(enabled=var('identity_quality_enabled', false)) }}
{%- set entities = [
    {'entity': 'person', 'identity': 'int_person_identity', 'truth': 'stg_ground_truth__person_identity'},
    {'entity': 'company', 'identity': 'int_company_identity', 'truth': 'stg_ground_truth__company_identity'},
] %}
with

{% for entity in entities %}
    {{ entity.entity }}_predicted as (
        select
            source_table,
            source_record_id,
            {{ entity.entity }}_id as predicted_cluster_id
        from {{ ref(entity.identity) }}
    ),

    {{ entity.entity }}_truth as (
        select
            source_table,
            source_record_id,
            true_{{ entity.entity }}_id as true_cluster_id
        from {{ ref(entity.truth) }}
    ),

    {{ entity.entity }}_records as (
        select
            '{{ entity.entity }}' as entity,
            coalesce(predicted.source_table, truth.source_table) as source_table,
            coalesce(predicted.source_record_id, truth.source_record_id) as source_record_id,
            predicted.predicted_cluster_id,
            truth.true_cluster_id
        from {{ entity.entity }}_predicted as predicted
        full outer join {{ entity.entity }}_truth as truth
            on
                predicted.source_table = truth.source_table
                and predicted.source_record_id = truth.source_record_id
    ),
{% endfor %}

records as (
    {% for entity in entities %}
        select * from {{ entity.entity }}_records
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

evaluated_records as (
    select * from records
    where
        predicted_cluster_id is not null
        and true_cluster_id is not null
),

predicted_clusters as (
    select
        entity,
        predicted_cluster_id,
        count(*) as record_count
    from evaluated_records
    group by
        entity,
        predicted_cluster_id
),

true_clusters as (
    select
        entity,
        true_cluster_id,
        count(*) as record_count
    from evaluated_records
    group by
        entity,
        true_cluster_id
),

intersections as (
    select
        entity,
        predicted_cluster_id,
        true_cluster_id,
        count(*) as record_count
    from evaluated_records
    group by
        entity,
        predicted_cluster_id,
        true_cluster_id
),

predicted_pairs as (
    select
        entity,
        count(*) as predicted_cluster_count,
        sum(record_count * (record_count - 1) / 2) as predicted_pair_count
    from predicted_clusters
    group by entity
),

true_pairs as (
    select
        entity,
        count(*) as true_cluster_count,
        sum(record_count * (record_count - 1) / 2) as true_pair_count
    from true_clusters
    group by entity
),

true_positive_pairs as (
    select
        entity,
        sum(record_count * (record_count - 1) / 2) as true_positive_pair_count
    from intersections
    group by entity
),

record_counts as (
    select
        entity,
        sum(case when predicted_cluster_id is not null and true_cluster_id is not null then 1 else 0 end)
            as evaluated_record_count,
        sum(case when true_cluster_id is null then 1 else 0 end) as records_without_truth_count,
        sum(case when predicted_cluster_id is null then 1 else 0 end) as records_not_resolved_count
    from records
    group by entity
),

pair_counts as (
    select
        record_counts.entity,
        record_counts.evaluated_record_count,
        record_counts.records_without_truth_count,
        record_counts.records_not_resolved_count,
        coalesce(predicted_pairs.predicted_cluster_count, 0) as predicted_cluster_count,
        coalesce(true_pairs.true_cluster_count, 0) as true_cluster_count,
        cast(coalesce(predicted_pairs.predicted_pair_count, 0) as {{ dbt.type_bigint() }}) as predicted_pair_count,
        cast(coalesce(true_pairs.true_pair_count, 0) as {{ dbt.type_bigint() }}) as true_pair_count,
        cast(
            coalesce(true_positive_pairs.true_positive_pair_count, 0) as {{ dbt.type_bigint() }}
        ) as true_positive_pair_count
    from record_counts
    left join predicted_pairs
        on record_counts.entity = predicted_pairs.entity
    left join true_pairs
        on record_counts.entity = true_pairs.entity
    left join true_positive_pairs
        on record_counts.entity = true_positive_pairs.entity
),

rates as (
    select
        *,
        predicted_pair_count - true_positive_pair_count as false_positive_pair_count,
        true_pair_count - true_positive_pair_count as false_negative_pair_count,
        cast(
            case
                when predicted_pair_count = 0 then 1
                else cast(true_positive_pair_count as {{ dbt.type_numeric() }}) / predicted_pair_count
            end as {{ dbt.type_numeric() }}
        ) as pairwise_precision_rate,
        cast(
            case
                when true_pair_count = 0 then 1
                else cast(true_positive_pair_count as {{ dbt.type_numeric() }}) / true_pair_count
            end as {{ dbt.type_numeric() }}
        ) as pairwise_recall_rate,
        cast({{ var('identity_min_precision_rate') }} as {{ dbt.type_numeric() }}) as minimum_precision_rate,
        cast({{ var('identity_min_recall_rate') }} as {{ dbt.type_numeric() }}) as minimum_recall_rate
    from pair_counts
),

final as (
    select
        entity,
        evaluated_record_count,
        records_without_truth_count,
        records_not_resolved_count,
        predicted_cluster_count,
        true_cluster_count,
        predicted_pair_count,
        true_pair_count,
        true_positive_pair_count,
        false_positive_pair_count,
        false_negative_pair_count,
        pairwise_precision_rate,
        pairwise_recall_rate,
        minimum_precision_rate,
        minimum_recall_rate,
        (
            pairwise_precision_rate >= minimum_precision_rate
            and pairwise_recall_rate >= minimum_recall_rate
        ) as is_passing
    from rates
)

select * from final
