{#-
  How each record of a cluster was attached, for the audit trail of int_person_identity and
  int_company_identity. Emits two CTEs followed by a comma (call inside a `with` list):

  incident_links      every link of `links_cte` (record_key, linked_record_key, match_method,
                      match_priority) in both directions, as (record_key, matched_record_key)
  ranked_attachments  for every record but its cluster's anchor, its links to records of the
                      same cluster in `clustered_cte` (record_key, cluster_label,
                      anchor_record_key), ranked by match_priority then matched record key:
                      rank 1 is the strongest link, the one reported as match_method
-#}
{% macro identity_ranked_attachments(links_cte, clustered_cte) -%}
incident_links as (
    select
        record_key,
        linked_record_key as matched_record_key,
        match_method,
        match_priority
    from {{ links_cte }}
    union all
    select
        linked_record_key as record_key,
        record_key as matched_record_key,
        match_method,
        match_priority
    from {{ links_cte }}
),

ranked_attachments as (
    select
        {{ clustered_cte }}.record_key,
        incident_links.matched_record_key,
        incident_links.match_method,
        row_number() over (
            partition by {{ clustered_cte }}.record_key
            order by incident_links.match_priority, incident_links.matched_record_key
        ) as attachment_rank
    from {{ clustered_cte }}
    inner join incident_links
        on {{ clustered_cte }}.record_key = incident_links.record_key
    inner join {{ clustered_cte }} as matched_clustered
        on
            incident_links.matched_record_key = matched_clustered.record_key
            and {{ clustered_cte }}.cluster_label = matched_clustered.cluster_label
    where {{ clustered_cte }}.record_key <> {{ clustered_cte }}.anchor_record_key
),
{%- endmacro %}
