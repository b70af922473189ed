{#
  on-run-start: stop the run when a YAML file the business edits changed after it was compiled
  into the generated files dbt reads (python/common_kpi/compiled_stamp.py writes the stamps).
  Each entry: the source file, its stamp (md5 of the file when it was compiled) and the command
  that compiles it. Paths are relative to the project folder.
#}
{% macro compiled_inputs() %}
  {{ return([
    {"source": "kpi_tree.yml", "stamp": "seeds/generated/kpi_tree.yml.md5", "fix": "common-kpi kpi-compile"},
  ]) }}
{% endmacro %}

{% macro check_compiled_inputs() %}
  {{ return(adapter.dispatch('check_compiled_inputs', 'common_kpi')()) }}
{% endmacro %}

{# Engines that cannot read the project's files (a remote warehouse): nothing to check here;
   `common-kpi build` compiles before every run. #}
{% macro default__check_compiled_inputs() %}
  {{ return('') }}
{% endmacro %}

{% macro duckdb__check_compiled_inputs() %}
  {% if execute %}
    {% set root = flags.PROJECT_DIR or '.' %}
    {% for input in compiled_inputs() %}
      {% set source_file = (root ~ '/' ~ input.source) | replace("'", "''") %}
      {% set stamp_file = (root ~ '/' ~ input.stamp) | replace("'", "''") %}
      {% set found = run_query(
        "select (select md5(content) from read_text('" ~ source_file ~ "')) as source_md5, "
        ~ "coalesce((select trim(content, chr(10) || chr(13) || chr(32)) from read_text('" ~ stamp_file ~ "') where exists "
        ~ "(select 1 from glob('" ~ stamp_file ~ "'))), 'missing') as stamp_md5"
      ) %}
      {% set row = found.rows[0] %}
      {% if row[0] != row[1] %}
        {{ exceptions.raise_compiler_error(
          input.source ~ " changed since it was compiled for dbt (stamp " ~ input.stamp ~ ": "
          ~ row[1] ~ ", file now: " ~ row[0] ~ "). Run `" ~ input.fix
          ~ "` (or `common-kpi build`, which compiles it first), then run dbt again; "
          ~ "commit the regenerated files with the YAML change."
        ) }}
      {% endif %}
    {% endfor %}
  {% endif %}
  {{ return('') }}
{% endmacro %}
