-- The KGI / KPI marts in one long table, one row per KPI x month with the numerator and
-- denominator of the definition chosen in kpi_tree.yml (basis), for the semantic layer's
-- metrics that cannot be rebuilt from one fact table without restating the definition
-- (継続率 by customer, クロスセル率 by company, the revenue KGI on its source): they read the
-- marts' numbers here instead (semantic model kpi_months), so each KPI is computed once.
{%- set kpi_marts = [
    'kgi_monthly',
    'kpi_new_customers_monthly',
    'kpi_retention_monthly',
    'kpi_revenue_per_customer_monthly',
] %}
with

{% for relation in kpi_marts %}
    {{ relation }} as (
        select * from {{ ref(relation) }}
    ),
{% endfor %}

kpi_months as (
    {% for relation in kpi_marts %}
        select
            kpi_id,
            basis,
            month_start_date,
            numerator,
            denominator
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        kpi_id || '|' || cast(month_start_date as {{ dbt.type_string() }}) as kpi_month_key,
        kpi_id,
        basis,
        month_start_date,
        numerator,
        denominator
    from kpi_months
)

select * from final
