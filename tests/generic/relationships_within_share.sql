{#-
  A relationships test that tolerates a few orphans: real exports have them (a contract whose
  customer row was quarantined, an opportunity on an account deleted in Salesforce), and one
  orphan must not keep the whole tree from being published. Fails with one row when more than
  `max_orphan_share` (default var orphan_max_share) of the non-null keys have no parent in
  `to`; the rows themselves stay in the model, against an unknown parent.
-#}
{% test relationships_within_share(model, column_name, to, field, max_orphan_share=none) %}
{%- set limit = var('orphan_max_share') if max_orphan_share is none else max_orphan_share %}

with

children as (
    select {{ column_name }} as child_key
    from {{ model }}
    where {{ column_name }} is not null
),

parents as (
    select distinct {{ field }} as parent_key
    from {{ to }}
),

counted as (
    select
        count(*) as child_row_count,
        coalesce(sum(case when parents.parent_key is null then 1 else 0 end), 0) as orphan_row_count
    from children
    left join parents
        on children.child_key = parents.parent_key
),

final as (
    select
        child_row_count,
        orphan_row_count,
        1.0 * orphan_row_count / nullif(child_row_count, 0) as orphan_share
    from counted
    where orphan_row_count > {{ limit }} * child_row_count
)

select * from final
{% endtest %}
