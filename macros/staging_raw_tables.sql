{#-
  The raw tables staging reads, each with its base model (every raw row, with a disposition)
  and its staging model (the staged rows). One list for stg_quarantine, stg_load_audit and
  the row-conservation test, so that a new raw table cannot be left out of one of them.
-#}
{% macro staging_raw_tables() -%}
    {{ return([
        {'source_system': 'salesforce', 'source_table': 'lead', 'base_model': 'base_salesforce__leads', 'stg_model': 'stg_salesforce__leads'},
        {'source_system': 'salesforce', 'source_table': 'contact', 'base_model': 'base_salesforce__contacts', 'stg_model': 'stg_salesforce__contacts'},
        {'source_system': 'salesforce', 'source_table': 'account', 'base_model': 'base_salesforce__accounts', 'stg_model': 'stg_salesforce__accounts'},
        {'source_system': 'salesforce', 'source_table': 'opportunity', 'base_model': 'base_salesforce__opportunities', 'stg_model': 'stg_salesforce__opportunities'},
        {'source_system': 'salesforce', 'source_table': 'opportunity_line_item', 'base_model': 'base_salesforce__opportunity_line_items', 'stg_model': 'stg_salesforce__opportunity_line_items'},
        {'source_system': 'salesforce', 'source_table': 'product_2', 'base_model': 'base_salesforce__products', 'stg_model': 'stg_salesforce__products'},
        {'source_system': 'salesforce', 'source_table': 'task', 'base_model': 'base_salesforce__tasks', 'stg_model': 'stg_salesforce__tasks'},
        {'source_system': 'salesforce', 'source_table': 'user', 'base_model': 'base_salesforce__users', 'stg_model': 'stg_salesforce__users'},
        {'source_system': 'hubspot', 'source_table': 'contact', 'base_model': 'base_hubspot__contacts', 'stg_model': 'stg_hubspot__contacts'},
        {'source_system': 'hubspot', 'source_table': 'company', 'base_model': 'base_hubspot__companies', 'stg_model': 'stg_hubspot__companies'},
        {'source_system': 'hubspot', 'source_table': 'contact_form_submission', 'base_model': 'base_hubspot__form_submissions', 'stg_model': 'stg_hubspot__form_submissions'},
        {'source_system': 'hubspot', 'source_table': 'email_event', 'base_model': 'base_hubspot__email_events', 'stg_model': 'stg_hubspot__email_events'},
        {'source_system': 'crm', 'source_table': 'customers', 'base_model': 'base_crm__customers', 'stg_model': 'stg_crm__customers'},
        {'source_system': 'crm', 'source_table': 'contracts', 'base_model': 'base_crm__contracts', 'stg_model': 'stg_crm__contracts'},
        {'source_system': 'crm', 'source_table': 'nps_responses', 'base_model': 'base_crm__nps_responses', 'stg_model': 'stg_crm__nps_responses'},
        {'source_system': 'finance', 'source_table': 'pl_monthly', 'base_model': 'base_finance__pl_monthly', 'stg_model': 'stg_finance__pl_monthly'},
    ]) }}
{%- endmacro %}
