-- The judged KGIs and KPIs (kpi_scored_monthly) with one row per KPI x month x owner department, for
-- the semantic layer's department dimension (semantic model kpi_department_months). A KPI
-- owned by several departments (owner_department 'sales,customer_success') has one row for
-- each of them, as the meeting pack lists it under both: a department's figures are the KPIs
-- it is responsible for, and adding departments up counts a shared KPI more than once.
with

scored as (
    select * from {{ ref('kpi_scored_monthly') }}
),

departments as (
    select * from {{ ref('departments') }}
),

kpi_months as (
    select
        kpi_id,
        month_start_date,
        node_level,
        kpi_name_ja,
        kpi_name_en,
        owner_department,
        unit,
        judged_period,
        numerator,
        denominator,
        actual,
        judged_actual,
        target,
        status,
        is_mature
    from scored
),

kpi_department_months as (
    select
        kpi_months.kpi_id,
        kpi_months.month_start_date,
        departments.department_code as owner_department,
        departments.label_ja as owner_department_ja,
        departments.label_en as owner_department_en,
        kpi_months.owner_department as owner_departments,
        kpi_months.owner_department like '%,%' as is_shared_kpi,
        kpi_months.node_level,
        kpi_months.kpi_name_ja,
        kpi_months.kpi_name_en,
        kpi_months.unit,
        kpi_months.judged_period,
        kpi_months.numerator,
        kpi_months.denominator,
        kpi_months.actual,
        kpi_months.judged_actual,
        kpi_months.target,
        kpi_months.status,
        kpi_months.is_mature
    from kpi_months
    inner join departments
        on ',' || kpi_months.owner_department || ',' like '%,' || departments.department_code || ',%'
),

final as (
    select
        kpi_id || '|' || owner_department || '|' || cast(month_start_date as {{ dbt.type_string() }})
            as kpi_department_month_key,
        kpi_id,
        month_start_date,
        owner_department,
        owner_department_ja,
        owner_department_en,
        owner_departments,
        is_shared_kpi,
        node_level,
        kpi_name_ja,
        kpi_name_en,
        unit,
        judged_period,
        numerator,
        denominator,
        actual,
        judged_actual,
        target,
        status,
        is_mature
    from kpi_department_months
)

select * from final
