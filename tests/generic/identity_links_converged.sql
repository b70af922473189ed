{#-
  Proves that identity resolution ran enough propagation passes: fails with every link of
  `links` whose two records ended in different clusters of `model` although one more pass
  would still move one of them. Without `blocking_column`, that is every link across two
  clusters. With it (a per-record value of the record's cluster, e.g. the cluster's
  法人番号), a link across two clusters whose values are both known and differ is blocked
  on purpose and is not a failure. Both models carry source_table and source_record_id; the
  links model also linked_source_table and linked_source_record_id.
-#}
{% test identity_links_converged(model, links, cluster_column, blocking_column=none) %}

with

identity as (
    select
        source_table,
        source_record_id,
        {{ cluster_column }} as cluster_id,
        {{ blocking_column if blocking_column else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as blocking_value
    from {{ model }}
),

links as (
    select * from {{ links }}
),

unconverged_links as (
    select
        links.source_table,
        links.source_record_id,
        links.linked_source_table,
        links.linked_source_record_id,
        left_identity.cluster_id,
        right_identity.cluster_id as linked_cluster_id
    from links
    inner join identity as left_identity
        on
            links.source_table = left_identity.source_table
            and links.source_record_id = left_identity.source_record_id
    inner join identity as right_identity
        on
            links.linked_source_table = right_identity.source_table
            and links.linked_source_record_id = right_identity.source_record_id
    where
        left_identity.cluster_id <> right_identity.cluster_id
        and not coalesce(left_identity.blocking_value <> right_identity.blocking_value, false)
)

select * from unconverged_links

{% endtest %}
