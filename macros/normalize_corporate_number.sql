{#- 法人番号: digits only after width folding; null unless exactly 13 digits remain. -#}
{% macro normalize_corporate_number(expression) -%}
    case
        when length({{ regexp_replace_all(normalize_text(expression), "'[^0-9]'", "''") }}) = 13
            then {{ regexp_replace_all(normalize_text(expression), "'[^0-9]'", "''") }}
    end
{%- endmacro %}
