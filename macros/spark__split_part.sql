{#-
  dbt-spark's split_part escapes the delimiter with a backslash for a regular expression,
  written as '\\': with the profile's spark.sql.parser.escapedStringLiterals that is two
  backslashes, the pattern never matches and every part is null (every email domain was).
  Spark (3.3+) has split_part itself, with a literal delimiter and DuckDB's numbering.
-#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}
