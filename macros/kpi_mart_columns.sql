{#-
    The columns every per-KSF / KGI mart shows (docs/marts_contract.md), in their order, read
    from kpi_scored_monthly under the alias `scored`: the marts are that model's rows of
    their KSF (kpi_tree_nodes.mart_name), so a KPI added under a KSF appears in its mart.
-#}
{% macro kpi_mart_columns(scored='scored') -%}
    {%- set columns = [
        'kpi_id', 'month_start_date', 'fiscal_year', 'fiscal_quarter', 'fiscal_month_number',
        'kpi_name_ja', 'kpi_name_en', 'owner_department', 'owner_department_ja', 'unit',
        'judged_period', 'direction', 'severity', 'basis', 'basis_label_ja', 'basis_label_en',
        'numerator', 'denominator', 'actual', 'qtd_actual', 'fytd_actual', 'trailing_3_month_actual',
        'judged_actual', 'judged_numerator', 'judged_denominator', 'judged_month_count',
        'target_value', 'target', 'achievement_rate', 'gap', 'status', 'is_mature', 'is_latest_judged',
    ] -%}
    {%- for column in columns %}
        {{ scored }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
