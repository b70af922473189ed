{#-
  Web site or domain as a matching key: width-folded and lower-cased, then the scheme
  (https://), a user part (info@), the www. prefix, any port, path, query or fragment and a
  trailing dot removed: 'https://www.Example.co.jp/about' → 'example.co.jp'. Null when empty.
-#}
{% macro normalize_web_domain(expression) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        lower({{ normalize_text(expression) }}),
                        '^[a-z][a-z0-9+.\-]*://', ''
                    ),
                    '^[^/@]*@', ''
                ),
                '^www[0-9]*\.', ''
            ),
            '[:/?#\s].*$|\.$', ''
        ),
        ''
    )
{%- endmacro %}
