"""The screen texts of the dashboard and the meeting pack, in Japanese (default) and English.

Pages never hard-code a user-visible string: they call `t(key, lang)`. A missing key or a
missing language raises `KeyError` at once (the unit test walks every key), so a typo never
reaches a meeting as a raw key. Status words, department / severity / period names and number
formats are not here but in `common_kpi.labels`, shared with the CLI and the alerts.
"""

from __future__ import annotations

from typing import Final

from common_kpi.labels import DEFAULT_LANG, LANGUAGES, Lang, pick

__all__ = ["DEFAULT_LANG", "LABELS", "LANGUAGES", "Lang", "pick", "t"]

LABELS: Final[dict[str, dict[Lang, str]]] = {
    # app chrome
    "app_title": {"ja": "共通KPIダッシュボード", "en": "Common KPI dashboard"},
    "language": {"ja": "表示言語", "en": "Language"},
    "language_name": {"ja": "日本語", "en": "English"},
    "period": {"ja": "対象月", "en": "Month"},
    "as_of": {"ja": "データ基準日", "en": "Data as of"},
    "warehouse_missing": {
        "ja": "BIファイルを開けません。先に `make build` を実行してください。({reason})",
        "en": "The BI file cannot be opened. Run `make build` first. ({reason})",
    },
    "table_missing": {
        "ja": "テーブル {table} がまだ構築されていません。",
        "en": "Table {table} is not built yet.",
    },
    "no_rows": {"ja": "該当するデータがありません。", "en": "No data for this selection."},
    # pages
    "page_tree": {"ja": "KPIツリー", "en": "KPI tree"},
    "page_funnel": {"ja": "ファネル", "en": "Funnel"},
    "page_trends": {"ja": "KPI推移", "en": "KPI trends"},
    "page_priorities": {"ja": "改善優先度・アラート", "en": "Priorities and alerts"},
    "page_sla": {"ja": "SLA遵守率(IS担当別)", "en": "SLA compliance by IS rep"},
    "page_abm": {"ja": "ABMティア", "en": "ABM tiers"},
    "tree_caption": {
        "ja": "KGI → KSF → KPI を一つの階層で表示します。全部門の部門横断会議で同じ画面を見ます。",
        "en": "KGI → KSF → KPI as one hierarchy, the screen every department reads in the "
        "cross-department meeting.",
    },
    # node levels
    "level_kgi": {"ja": "KGI", "en": "KGI"},
    "level_ksf": {"ja": "KSF", "en": "KSF"},
    "level_kpi": {"ja": "KPI", "en": "KPI"},
    # measures
    "actual": {"ja": "実績", "en": "Actual"},
    "target": {"ja": "目標", "en": "Target"},
    "achievement": {"ja": "達成率", "en": "Achievement"},
    "gap": {"ja": "目標との差", "en": "Gap to target"},
    "status": {"ja": "状況", "en": "Status"},
    "owner": {"ja": "責任部門", "en": "Owner"},
    "kpi": {"ja": "KPI", "en": "KPI"},
    "month": {"ja": "月", "en": "Month"},
    "fytd": {"ja": "年度累計", "en": "FY to date"},
    "fytd_vs_kgi": {"ja": "年度累計 vs KGI", "en": "FY to date vs KGI"},
    "judged_actual": {"ja": "判定値(判定期間累計)", "en": "Judged value (period to date)"},
    "target_to_date": {"ja": "目標(按分)", "en": "Target to date"},
    "target_annual": {"ja": "年間目標", "en": "Annual target"},
    "evaluated_month": {"ja": "判定月", "en": "Judged month"},
    "trend_caption": {
        "ja": "実線は判定値(月次KPIは当月、年度KPIは年度累計)、破線は目標(年度KPIは経過月数で按分)。",
        "en": "Solid: the judged value (the month for monthly KPIs, fiscal year to date for annual "
        "ones); dashed: the target (pro-rated by the months elapsed for annual KPIs).",
    },
    "priorities_caption": {
        "ja": "未達・注意のKPIを先に、目標との差を年間売上インパクトに換算して大きい順に並べます。"
        "金額換算できない未達(SLA・NPSなど)も、達成済みのKPIより上に理由付きで表示します。",
        "en": "Missed and at-risk KPIs first, by the yearly revenue closing their gap is worth; a miss "
        "that cannot be priced (SLA, NPS) is still listed above every achieved KPI, with why.",
    },
    "trailing_3m": {"ja": "直近3か月", "en": "Trailing 3 months"},
    "numerator": {"ja": "分子", "en": "Numerator"},
    "denominator": {"ja": "分母", "en": "Denominator"},
    "select_kpi": {"ja": "KPIを選択", "en": "Select a KPI"},
    "fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    # funnel
    "funnel_mode": {"ja": "集計方法", "en": "Counting"},
    "funnel_mode_month": {"ja": "当月発生(各段階に到達した月)", "en": "Month (stage reached in month)"},
    "funnel_mode_cohort": {"ja": "コホート(リード作成月)", "en": "Cohort (lead created in month)"},
    "business_unit": {"ja": "事業部", "en": "Business unit"},
    "channel": {"ja": "チャネル", "en": "Channel"},
    "owner_user": {"ja": "担当者", "en": "Owner"},
    "all": {"ja": "すべて", "en": "All"},
    "stage": {"ja": "段階", "en": "Stage"},
    "count": {"ja": "件数", "en": "Count"},
    "conversion_rate": {"ja": "前段階からの転換率", "en": "Conversion from previous stage"},
    "median_days": {"ja": "前段階からの日数(中央値)", "en": "Days from previous stage (median)"},
    "stage_lead": {"ja": "リード", "en": "Lead"},
    "stage_mql": {"ja": "MQL", "en": "MQL"},
    "stage_sql": {"ja": "SQL", "en": "SQL"},
    "stage_opportunity": {"ja": "商談", "en": "Opportunity"},
    "stage_won": {"ja": "受注", "en": "Won"},
    # priorities and alerts
    "priorities": {"ja": "改善優先度", "en": "Improvement priorities"},
    "alerts": {"ja": "現在のアラート", "en": "Current alerts"},
    "rank": {"ja": "順位", "en": "Rank"},
    "revenue_impact": {"ja": "売上インパクト(年額)", "en": "Revenue impact (per year)"},
    "impact_note": {"ja": "金額換算について", "en": "About the price"},
    "impact_rank": {"ja": "金額順位", "en": "Rank by revenue"},
    "severity": {"ja": "重要度", "en": "Severity"},
    "message": {"ja": "内容", "en": "Message"},
    "no_alerts": {"ja": "現在アラートはありません。", "en": "No alerts right now."},
    # SLA
    "is_rep": {"ja": "IS担当", "en": "IS rep"},
    "sla_due": {"ja": "対応期限到来MQL", "en": "MQLs due"},
    "sla_met": {"ja": "期限内対応", "en": "Met"},
    "sla_rate": {"ja": "SLA遵守率", "en": "SLA compliance"},
    "sla_median_hours": {
        "ja": "初回対応時間(中央値・営業時間)",
        "en": "First response (median business hours)",
    },
    "unassigned": {"ja": "担当者なし", "en": "No owner"},
    # ABM
    "abm_not_built": {
        "ja": "ABMのテーブル(abm_accounts / abm_tier_months)はまだ構築されていません。"
        "ABM担当の作業が入ると、このページに表示されます。",
        "en": "The ABM tables (abm_accounts / abm_tier_months) are not built yet. "
        "This page shows them once the ABM work lands.",
    },
    "tier": {"ja": "ティア", "en": "Tier"},
    "abm_caption": {
        "ja": "ティア別のアカウント数・移動とファネル成果。"
        "重点ターゲットほど成果が高いかでスコアリングを検証します。",
        "en": "Accounts, tier movements and funnel results by tier: do target accounts convert better?",
    },
    "abm_new_accounts": {"ja": "新規", "en": "New"},
    "abm_moved_up": {"ja": "昇格", "en": "Moved up"},
    "abm_moved_down": {"ja": "降格", "en": "Moved down"},
    "abm_average_score": {"ja": "平均スコア", "en": "Average score"},
    "abm_mql_to_opportunity_rate": {"ja": "商談化率", "en": "MQL→opportunity"},
    "abm_win_rate": {"ja": "成約率", "en": "Win rate"},
    "abm_open_pipeline": {"ja": "パイプライン(円)", "en": "Open pipeline (JPY)"},
    "abm_won_amount": {"ja": "受注金額(円)", "en": "Won (JPY)"},
    "abm_renewal_rate": {"ja": "契約更新率", "en": "Renewal rate"},
    "accounts": {"ja": "アカウント数", "en": "Accounts"},
    # drill-down, CSV, fiscal year
    "download_csv": {"ja": "CSVダウンロード", "en": "Download CSV"},
    "tree_judged_caption": {
        "ja": "各値の下に判定月・判定期間と目標の按分を表示します。「明細」から対象レコードを開けます。",
        "en": "Under each value: the month and period it is judged on and how its target was "
        "pro-rated. 'Records' opens the records behind it.",
    },
    "achievement_by_department": {"ja": "部門別のKPI達成率", "en": "KPI achievement by department"},
    "open_records": {"ja": "明細", "en": "Records"},
    "page_records": {"ja": "KPI明細", "en": "KPI records"},
    "records_caption": {
        "ja": "KPIの値の元になったレコード(判定月、年度判定のKPIは年度累計)。"
        "ID・会社・担当者・日付・金額・段階のみで、顧客の個人情報は表示しません。",
        "en": "The records behind a KPI's value (its judged month, or the fiscal year to date for a "
        "KPI judged on the year): ids, company, owner, dates, amounts and stage only, no customer "
        "personal data.",
    },
    "records_count": {"ja": "{count}件", "en": "{count} records"},
    "funnel_records": {"ja": "段階の明細", "en": "Records of a stage"},
    "record_id": {"ja": "人物ID/レコードID", "en": "Person / record id"},
    "salesforce_lead_ids": {"ja": "SFAリードID", "en": "Salesforce lead id"},
    "hubspot_contact_ids": {"ja": "MAコンタクトID", "en": "HubSpot contact id"},
    "opportunity_id": {"ja": "商談ID", "en": "Opportunity id"},
    "company": {"ja": "会社", "en": "Company"},
    "counted_at": {"ja": "計上日時", "en": "Counted at"},
    "outcome_at": {"ja": "次段階日時", "en": "Next step at"},
    "in_numerator": {"ja": "分子に計上", "en": "In numerator"},
    "stage_lost": {"ja": "失注", "en": "Lost"},
    "stage_met": {"ja": "期限内対応", "en": "Answered in time"},
    "stage_not_met": {"ja": "期限超過", "en": "Late or no answer"},
    "stage_retained": {"ja": "継続", "en": "Retained"},
    "stage_churned": {"ja": "解約", "en": "Churned"},
    "stage_renewed": {"ja": "更新", "en": "Renewed"},
    "stage_promoter": {"ja": "推奨者", "en": "Promoter"},
    "stage_passive": {"ja": "中立者", "en": "Passive"},
    "stage_detractor": {"ja": "批判者", "en": "Detractor"},
    "stage_bought": {"ja": "成約あり", "en": "Bought"},
    "stage_not_bought": {"ja": "成約なし", "en": "Not bought"},
    "crm_customer_id": {"ja": "CRM顧客ID", "en": "CRM customer id"},
    "contract_ids": {"ja": "契約ID", "en": "Contract ids"},
    "opportunity_ids": {"ja": "商談ID", "en": "Opportunity ids"},
    "product_line": {"ja": "製品ライン", "en": "Product line"},
    "counted_on": {"ja": "計上日", "en": "Counted on"},
    "outcome_on": {"ja": "結果の日付", "en": "Outcome on"},
    "amount": {"ja": "金額", "en": "Amount"},
    "nps_score": {"ja": "スコア", "en": "Score"},
    "numerator_value": {"ja": "分子", "en": "Numerator"},
    "denominator_value": {"ja": "分母", "en": "Denominator"},
    "fiscal_year_label": {"ja": "{year}年度", "en": "FY{year}"},
    "prior_year_same_month": {"ja": "前年同月", "en": "Same month last year"},
    "yoy_change": {"ja": "前年同月差", "en": "Change vs last year"},
    "prior_fiscal_year": {"ja": "前年度(同時点)", "en": "Previous FY (same point)"},
    "abm_tier_movement": {"ja": "ティアの移動(当月)", "en": "Tier movements (month)"},
    "abm_results_by_tier": {"ja": "ティア別の成果", "en": "Results by tier"},
    # pack
    "pack_title": {"ja": "月次部門横断レビュー", "en": "Monthly cross-department review"},
    "pack_department_kpis": {"ja": "部門別KPI", "en": "KPIs by department"},
    "pack_trend": {"ja": "推移", "en": "Trend"},
    "pack_generated": {"ja": "作成", "en": "Generated"},
}


def t(key: str, lang: Lang = DEFAULT_LANG, **values: object) -> str:
    """The label `key` in `lang`, with `{placeholders}` filled from `values`."""
    text = LABELS[key][lang]
    return text.format(**values) if values else text
