{#-
  Exponential decay weight of something `age_days` old with a half-life of `half_life_days`:
  0.5 ^ (age / half-life), so 1 at age 0, 0.5 at one half-life, 0.25 at two. dbt ships no
  power/exp macro; `power` is standard on the engines we target, the float cast keeps the
  exponent from being integer-divided. An engine that differs overrides `<adapter>__half_life_decay`.
-#}
{% macro half_life_decay(age_days, half_life_days) -%}
    {{ return(adapter.dispatch('half_life_decay', 'common_kpi')(age_days, half_life_days)) }}
{%- endmacro %}

{% macro default__half_life_decay(age_days, half_life_days) -%}
    power(0.5, cast({{ age_days }} as {{ kpi_type_double() }}) / {{ half_life_days }})
{%- endmacro %}
