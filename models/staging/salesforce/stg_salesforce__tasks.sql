-- Salesforce tasks (calls, emails, meetings) that passed every staging check: one row per task.
with

tasks as (
    select * from {{ ref('base_salesforce__tasks') }}
),

final as (
    select
        task_id,
        who_id,
        lead_id,
        contact_id,
        what_id,
        account_id,
        opportunity_id,
        owner_user_id,
        subject,
        task_type_raw,
        task_type,
        task_status,
        is_completed,
        activity_date,
        created_at,
        created_at_utc,
        synced_at_utc
    from tasks
    where row_disposition = 'staged'
)

select * from final
