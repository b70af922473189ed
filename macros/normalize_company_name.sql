{#-
  Company name as a matching key: width-folded, legal-form words removed wherever they
  stand (株式会社X, X株式会社, (株)X, ㈱X, ｶﾌﾞｼｷｶﾞｲｼｬ, Co., Ltd. ...), spaces and
  punctuation dropped, lower-cased. The legal forms come from var company_legal_forms.
-#}
{% macro normalize_company_name(expression) -%}
    {{ return(adapter.dispatch('normalize_company_name', 'common_kpi')(expression)) }}
{%- endmacro %}

{% macro default__normalize_company_name(expression) -%}
    {%- set ns = namespace(sql="lower(" ~ normalize_text(expression) ~ ")") -%}
    {%- for legal_form in var('company_legal_forms') -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ legal_form | replace("'", "''") ~ "', '')" -%}
    {%- endfor -%}
    nullif({{ regexp_replace_all(ns.sql, "'[\\s\\.,・\\-]+'", "''") }}, '')
{%- endmacro %}

{#- DuckDB: the same, with the removals as a method chain, which a SQL linter can parse. -#}
{% macro duckdb__normalize_company_name(expression) -%}
    {%- set ns = namespace(sql="lower(" ~ normalize_text(expression) ~ ")") -%}
    {%- for legal_form in var('company_legal_forms') -%}
        {%- set ns.sql = ns.sql ~ ".replace('" ~ legal_form | replace("'", "''") ~ "', '')" -%}
    {%- endfor -%}
    nullif(regexp_replace({{ ns.sql }}, '[\s\.,・\-]+', '', 'g'), '')
{%- endmacro %}
