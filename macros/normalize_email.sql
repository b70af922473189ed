{#- Email as a matching key: width-folded, every space removed, lower-cased; null if it has no @. -#}
{% macro normalize_email(expression) -%}
    case
        when lower(replace({{ normalize_text(expression) }}, ' ', '')) like '%_@_%'
            then lower(replace({{ normalize_text(expression) }}, ' ', ''))
    end
{%- endmacro %}
