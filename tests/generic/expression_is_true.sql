{#-
  Fails with every row for which the boolean SQL `expression` is not true (false or null).
  On a column, the expression is prefixed with the column: `>= 0` tests `<column> >= 0`.
  `where` limits the rows checked (the built-in `config: where:` works as well).
-#}
{% test expression_is_true(model, expression, column_name=none) %}

with

checked as (
    select *
    from {{ model }}
    where not coalesce({{ engine_expression((column_name ~ ' ' if column_name else '') ~ expression) }}, false)
)

select * from checked

{% endtest %}
