-- 担当者 / Our own staff (Salesforce users: IS reps, sales reps, CSMs, marketers) by name, so
-- that screens show whose lead, opportunity or SLA figure it is instead of a user id. Staff
-- names are what every sales report shows and are not the customers' personal data the
-- marts keep out; a company that requires it sets var pseudonymise_staff_names (env
-- COMMON_KPI_PSEUDONYMISE_STAFF_NAMES=true) and gets a stable pseudonym per user instead.
with

users as (
    select * from {{ ref('stg_salesforce__users') }}
),

departments as (
    select * from {{ ref('departments') }}
),

final as (
    select
        users.user_id,
        {% if var('pseudonymise_staff_names') | string | lower in ['true', '1', 'yes'] %}
            '担当者-' || upper({{ dbt.right(dbt.hash('users.user_id'), 6) }}) as staff_name,
            true as is_pseudonymised,
        {% else %}
            coalesce(users.user_name, '担当者-' || upper({{ dbt.right(dbt.hash('users.user_id'), 6) }}))
                as staff_name,
            users.user_name is null as is_pseudonymised,
        {% endif %}
        users.department_code,
        departments.label_ja as department_ja,
        departments.label_en as department_en,
        users.business_unit,
        users.is_active
    from users
    left join departments
        on departments.department_code = users.department_code
)

select * from final
