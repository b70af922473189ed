{#-
  A Salesforce record id in its 18-character form. Salesforce spells one record two ways: the
  15-character id (case-sensitive, as reports and some exports show it) and the 18-character id
  (the API's, with a 3-character suffix that encodes which of the 15 are upper case). Joining a
  15-character id in one table to an 18-character id in another silently loses the link, so
  every Salesforce id is brought to 18 characters here: the suffix is computed as Salesforce
  computes it (per 5-character chunk, bit i set when character i is A-Z; the 5-bit number
  indexes 'A'..'Z', '0'..'5'). Empty text is null; any other length is kept as it is.
-#}
{% macro salesforce_id(expression) -%}
    {%- set trimmed = "nullif(trim(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")), '')" -%}
    case
        when length({{ trimmed }}) = 15 then {{ dbt.concat([trimmed] + salesforce_id_suffix_chars(trimmed)) }}
        else {{ trimmed }}
    end
{%- endmacro %}

{% macro salesforce_id_suffix_chars(trimmed) -%}
    {%- set chars = [] -%}
    {%- for chunk in range(3) -%}
        {%- set bits = [] -%}
        {%- for position in range(5) -%}
            {%- do bits.append(
                "case when ascii(substr(" ~ trimmed ~ ", " ~ (chunk * 5 + position + 1) ~ ", 1)) between 65 and 90 then "
                ~ (2 ** position) ~ " else 0 end"
            ) -%}
        {%- endfor -%}
        {%- do chars.append("substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 1 + " ~ bits | join(' + ') ~ ", 1)") -%}
    {%- endfor -%}
    {{ return(chars) }}
{%- endmacro %}
