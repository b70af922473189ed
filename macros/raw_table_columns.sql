{#-
  The columns of each raw table, in contract order: a copy of the raw source contracts
  (models/staging/*/_*__sources.yml) for the places where dbt's graph is not available, such
  as unit-test fixtures. python/tests/test_staging_raw_columns.py fails when this copy and
  the contracts differ.
-#}
{% macro raw_table_columns(source_name, table_name) -%}
    {%- set columns_by_table = {
        'crm.customers': [
            'customer_id', 'corporate_number', 'customer_name', 'domain', 'industry',
            'employee_count', 'business_unit', 'sfdc_account_id', 'is_deleted', 'created_at',
            'updated_at', 'exported_at',
        ],
        'crm.contracts': [
            'contract_id', 'customer_id', 'product_line', 'contract_type', 'previous_contract_id',
            'sfdc_opportunity_id', 'start_date', 'end_date', 'amount_jpy', 'is_deleted',
            'created_at', 'exported_at',
        ],
        'crm.nps_responses': [
            'response_id', 'customer_id', 'respondent_email', 'survey_name', 'score', 'comment',
            'responded_at', 'exported_at',
        ],
        'finance.pl_monthly': [
            'period_month', 'business_unit', 'line_item', 'amount_jpy', 'exported_at',
        ],
        'hubspot.contact': [
            'id', '_fivetran_deleted', 'property_email', 'property_firstname', 'property_lastname',
            'property_company', 'property_phone', 'property_jobtitle', 'property_lifecyclestage',
            'property_hs_lifecyclestage_lead_date',
            'property_hs_lifecyclestage_marketingqualifiedlead_date',
            'property_hs_lifecyclestage_salesqualifiedlead_date',
            'property_hs_lifecyclestage_opportunity_date',
            'property_hs_lifecyclestage_customer_date', 'property_hubspotscore',
            'property_hs_analytics_source', 'property_hs_analytics_num_page_views',
            'property_hs_analytics_num_visits', 'property_hs_analytics_last_visit_timestamp',
            'property_salesforceleadid', 'property_associatedcompanyid', 'property_business_unit',
            'property_createdate', '_fivetran_synced',
        ],
        'hubspot.company': [
            'id', '_fivetran_deleted', 'property_name', 'property_domain', 'property_industry',
            'property_numberofemployees', 'property_corporate_number', 'property_business_unit',
            'property_createdate', '_fivetran_synced',
        ],
        'hubspot.contact_form_submission': [
            'contact_id', 'conversion_id', 'form_id', 'title', 'page_url', 'timestamp',
            '_fivetran_synced',
        ],
        'hubspot.email_event': [
            'id', 'type', 'recipient', 'email_campaign_id', 'created', '_fivetran_synced',
        ],
        'salesforce.lead': [
            'id', 'is_deleted', 'first_name', 'last_name', 'email', 'phone', 'company', 'title',
            'industry', 'number_of_employees', 'website', 'lead_source', 'status', 'is_converted',
            'converted_date', 'converted_account_id', 'converted_contact_id',
            'converted_opportunity_id', 'owner_id', 'business_unit__c', 'created_date',
            'last_modified_date', '_fivetran_synced',
        ],
        'salesforce.contact': [
            'id', 'is_deleted', 'account_id', 'first_name', 'last_name', 'email', 'phone', 'title',
            'lead_source', 'owner_id', 'created_date', '_fivetran_synced',
        ],
        'salesforce.account': [
            'id', 'is_deleted', 'name', 'website', 'industry', 'number_of_employees', 'type',
            'corporate_number__c', 'business_unit__c', 'owner_id', 'created_date',
            '_fivetran_synced',
        ],
        'salesforce.opportunity': [
            'id', 'is_deleted', 'account_id', 'contact_id', 'name', 'type', 'stage_name', 'amount',
            'probability', 'is_closed', 'is_won', 'close_date', 'lead_source', 'owner_id',
            'business_unit__c', 'created_date', '_fivetran_synced',
        ],
        'salesforce.opportunity_line_item': [
            'id', 'is_deleted', 'opportunity_id', 'product_2_id', 'quantity', 'unit_price',
            'total_price', 'created_date', '_fivetran_synced',
        ],
        'salesforce.product_2': [
            'id', 'is_deleted', 'name', 'product_code', 'family', 'is_active', 'created_date',
            '_fivetran_synced',
        ],
        'salesforce.task': [
            'id', 'is_deleted', 'who_id', 'what_id', 'owner_id', 'subject', 'type', 'status',
            'activity_date', 'created_date', '_fivetran_synced',
        ],
        'salesforce.user': [
            'id', 'name', 'email', 'department', 'division', 'is_active', 'created_date',
            '_fivetran_synced',
        ],
    } -%}
    {%- set key = source_name ~ '.' ~ table_name -%}
    {%- if key not in columns_by_table -%}
        {{ exceptions.raise_compiler_error("raw_table_columns: unknown raw table " ~ key) }}
    {%- endif -%}
    {{ return(columns_by_table[key]) }}
{%- endmacro %}
