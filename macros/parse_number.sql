{#- Text → number: width folded, thousands separators, ¥ and 円 removed; null when unreadable. -#}
{% macro parse_number(expression, data_type='numeric(18, 2)') -%}
    {{ dbt.safe_cast(
        "nullif(regexp_replace(" ~ normalize_text(expression) ~ ", '[,¥￥円\\s]', '', 'g'), '')",
        data_type
    ) }}
{%- endmacro %}
