{#-
  Connected components without recursion, portable to any engine: `passes` rounds of
  min-label propagation, unrolled here as CTEs named <cte_prefix>_1 .. <cte_prefix>_<passes>
  (the last one holds the result). Emits the CTEs followed by a comma, so call it inside a
  `with` list, before the CTEs that read the result.

  start_cte      CTE with (record_key, cluster_label): every record with its starting label.
  neighbors_cte  CTE with (record_key, neighbor_key): the records whose label each record may
                 adopt, INCLUDING the record itself (one self row per record), in both
                 directions of every link the record may follow.
  pinned_label_prefix
                 optional: a record whose label starts with this prefix keeps it for good
                 (company identity pins the labels made of a 法人番号).
  Each pass, a record takes the smallest label among itself and its neighbors, so after k
  passes every record holds the smallest label within k links. Each pass reads the previous
  one once (the self row brings the record's own label), so the SQL grows linearly with
  the passes. The number of passes comes from var identity_propagation_passes; generic test
  identity_links_converged proves it was enough.
-#}
{% macro identity_min_label_passes(start_cte, neighbors_cte, cte_prefix, passes, pinned_label_prefix=none) -%}
    {%- for pass_number in range(1, passes + 1) %}
{{ cte_prefix }}_{{ pass_number }} as (
    select
        neighbors.record_key,
        {%- if pinned_label_prefix %}
        case
            when max(
                case
                    when
                        neighbors.neighbor_key = neighbors.record_key
                        and previous_labels.cluster_label like '{{ pinned_label_prefix }}%'
                        then 1
                    else 0
                end
            ) = 1
                then max(case when neighbors.neighbor_key = neighbors.record_key then previous_labels.cluster_label end)
            else min(previous_labels.cluster_label)
        end as cluster_label
        {%- else %}
        min(previous_labels.cluster_label) as cluster_label
        {%- endif %}
    from {{ neighbors_cte }} as neighbors
    inner join {{ start_cte if loop.first else cte_prefix ~ '_' ~ (pass_number - 1) }} as previous_labels
        on neighbors.neighbor_key = previous_labels.record_key
    group by neighbors.record_key
),
    {%- endfor %}
{%- endmacro %}
