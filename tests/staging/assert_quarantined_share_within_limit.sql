-- The volume gate: a build whose staging set aside more than var quarantine_max_share of a
-- raw table's rows (and at least var quarantine_gate_min_rows rows) fails, so that no KPI
-- tree is published from the few rows that happened to fit. This is what a new org with
-- picklist values the project does not know looks like (Salesforce "Verbal Commit"): the
-- rows are quarantined with the reason, and the fix is a line in source_mapping.yml
-- `values:`. One row per raw table over the limit, with its most common reason;
-- `common-kpi build` prints the values behind it and the line to edit.
with

audit as (
    select * from {{ ref('stg_load_audit') }}
),

quarantine as (
    select * from {{ ref('stg_quarantine') }}
),

reasons_ranked as (
    select
        source_system,
        source_table,
        quarantine_reason,
        count(*) as reason_row_count,
        row_number() over (
            partition by source_system, source_table
            order by count(*) desc, quarantine_reason
        ) as reason_rank
    from quarantine
    group by source_system, source_table, quarantine_reason
),

over_limit as (
    select
        audit.raw_table_id,
        audit.source_system,
        audit.source_table,
        audit.quarantined_row_count,
        audit.staged_row_count + audit.quarantined_row_count as kept_or_quarantined_row_count,
        1.0 * audit.quarantined_row_count
        / nullif(audit.staged_row_count + audit.quarantined_row_count, 0) as quarantined_share
    from audit
    where
        audit.quarantined_row_count >= {{ var('quarantine_gate_min_rows') }}
        and audit.quarantined_row_count
        > {{ var('quarantine_max_share') }} * (audit.staged_row_count + audit.quarantined_row_count)
),

final as (
    select
        over_limit.raw_table_id,
        over_limit.quarantined_row_count,
        over_limit.kept_or_quarantined_row_count,
        over_limit.quarantined_share,
        reasons_ranked.quarantine_reason as top_quarantine_reason,
        reasons_ranked.reason_row_count as top_reason_row_count
    from over_limit
    left join reasons_ranked
        on
            over_limit.source_system = reasons_ranked.source_system
            and over_limit.source_table = reasons_ranked.source_table
            and reasons_ranked.reason_rank = 1
)

select * from final
