"""The Streamlit app: `streamlit run python/common_kpi/dashboard/app.py` (or `make dashboard`).

Japanese by default; `?lang=en` (or the sidebar) switches to English. Each page has a fixed
URL path (`/tree`, `/funnel`, `/trends`, `/priorities`, `/sla`, `/abm`, `/records`) so a meeting can
link to it and the browser tests can open it directly.
"""

from __future__ import annotations

import uuid

import streamlit as st

from common_kpi.dashboard import views
from common_kpi.dashboard.i18n import DEFAULT_LANG, LANGUAGES, Lang, t
from common_kpi.dashboard.warehouse import Warehouse, WarehouseError


def current_language() -> Lang:
    """The language from the sidebar, initialised from `?lang=` (Japanese by default)."""
    requested = st.query_params.get("lang", DEFAULT_LANG)
    if "lang" not in st.session_state:
        st.session_state["lang"] = requested if requested in LANGUAGES else DEFAULT_LANG
    lang: Lang = st.sidebar.radio(
        t("language", st.session_state["lang"]),
        LANGUAGES,
        key="lang",
        format_func=lambda code: t("language_name", code),
        horizontal=True,
    )
    st.query_params["lang"] = lang
    return lang


def main() -> None:
    st.set_page_config(page_title=t("app_title"), layout="wide")
    lang = current_language()
    try:
        warehouse = Warehouse.bi()
    except WarehouseError as error:
        st.error(t("warehouse_missing", lang, reason=str(error)))
        return
    context = views.PageContext(warehouse=warehouse, lang=lang)
    pages = [
        st.Page(lambda: views.tree_page(context), title=t("page_tree", lang), url_path="tree", default=True),
        st.Page(lambda: views.funnel_page(context), title=t("page_funnel", lang), url_path="funnel"),
        st.Page(lambda: views.trends_page(context), title=t("page_trends", lang), url_path="trends"),
        st.Page(
            lambda: views.priorities_page(context), title=t("page_priorities", lang), url_path="priorities"
        ),
        st.Page(lambda: views.sla_page(context), title=t("page_sla", lang), url_path="sla"),
        st.Page(lambda: views.abm_page(context), title=t("page_abm", lang), url_path="abm"),
        st.Page(lambda: views.records_page(context), title=t("page_records", lang), url_path="records"),
    ]
    st.navigation(pages).run()
    # Rendered last, with a new id per run of the script: a page whose script has run to the
    # end, and which run (the browser tests wait for an id they have not seen yet).
    st.html(f'<div data-ck-ready="{uuid.uuid4().hex}"></div>')


main()
