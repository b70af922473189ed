{#-
  not_null for several columns in one scan of the model (instead of one query per column):
  fails with one row per listed column that holds nulls, with the number of null rows.
-#}
{% test not_null_columns(model, column_names) %}

with

null_counts as (
    select
        {%- for column_name in column_names %}
        sum(case when {{ adapter.quote(column_name) }} is null then 1 else 0 end) as null_count_{{ loop.index }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
),

checked_columns as (
    {%- for column_name in column_names %}
    select
        {{ loop.index }} as column_position,
        '{{ column_name }}' as column_name
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

column_null_counts as (
    select
        checked_columns.column_name,
        case checked_columns.column_position
            {%- for column_name in column_names %}
            when {{ loop.index }} then null_counts.null_count_{{ loop.index }}
            {%- endfor %}
        end as null_count
    from checked_columns
    cross join null_counts
),

final as (
    select *
    from column_null_counts
    where null_count > 0
)

select * from final

{% endtest %}
