"""GX data docs render offline: no page loads an asset from the network, and Chromium with every
network request refused shows the styled page (Bootstrap and bootstrap-table loaded from the
site's own static/vendor/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import great_expectations as gx
import pandas as pd
import pytest
from dashboard_harness import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import Browser, Page, Route, sync_playwright

from common_kpi.quality.checkpoint import _Runner
from common_kpi.quality.config import SuiteConfig
from common_kpi.quality.data_docs_offline import network_assets

pytestmark = pytest.mark.slow

SUITE = "offline_docs_suite"


@pytest.fixture(scope="module")
def data_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data docs site of one suite with one failing expectation, as `common-kpi quality`
    writes it (the checkpoint's own GX runner)."""
    docs_dir = tmp_path_factory.mktemp("gx") / "data_docs"
    runner = _Runner(docs_dir)
    suite = SuiteConfig(name=SUITE, layer="marts", description="docs", relation="kpi_tree", query=None)
    frame = pd.DataFrame({"kpi_id": ["retention_rate", "nps", None]})
    runner.validate(suite, frame, [gx.expectations.ExpectColumnValuesToNotBeNull(column="kpi_id")])
    index = runner.build_docs()
    assert index is not None and index.exists()
    return docs_dir


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk (as .ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_no_page_loads_an_asset_from_the_network(data_docs: Path) -> None:
    pages = sorted(data_docs.rglob("*.html"))
    assert len(pages) >= 3, "index, expectation suite and validation pages"
    for page in pages:
        assert network_assets(page.read_text(encoding="utf-8")) == [], page
    assert (data_docs / "static" / "vendor" / "bootstrap" / "dist" / "css" / "bootstrap.min.css").is_file()


def test_network_assets_finds_a_cdn_stylesheet_script_and_image() -> None:
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/a.css"><script src="http://x.test/b.js">'
        '</script><img src="https://s3.test/logo.png"><div style="background: url(\'https://s3.test/c.png\')">'
        '<a href="https://greatexpectations.io">a link is not an asset</a>'
    )
    assert network_assets(html) == [
        "https://cdn.example.com/a.css",
        "http://x.test/b.js",
        "https://s3.test/logo.png",
        "https://s3.test/c.png",
    ]


def _open_offline(browser: Browser, path: Path) -> tuple[Page, list[str]]:
    """`path` in a tab that refuses every request that is not a local file."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def route(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: refused.append(f"script error: {error}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, refused


@pytest.mark.parametrize("kind", ["index", "validation"])
def test_pages_render_styled_without_network(browser: Browser, data_docs: Path, kind: str) -> None:
    if kind == "index":
        path = data_docs / "index.html"
    else:
        [path] = list((data_docs / "validations").rglob("*.html"))
    page, refused = _open_offline(browser, path)
    try:
        assert refused == [], f"asked the network for {refused}"
        text = page.evaluate("document.body.innerText")
        assert SUITE in text
        # Bootstrap's stylesheet makes the navbar a flex box; bootstrap-table's script wraps
        # the tables it takes over in .bootstrap-table.
        assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
        assert page.locator(".bootstrap-table").count() >= 1
        visible = page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.offsetWidth > 0 && e.offsetHeight > 0).length"
        )
        assert visible > 50, "the page has visible content"
    finally:
        page.close()


def test_an_unknown_cdn_asset_is_named(tmp_path: Path) -> None:
    """A GX upgrade that loads one more library from a CDN fails with the page and the URL."""
    from common_kpi.quality.data_docs_offline import DataDocsAssetsError, make_offline

    page = tmp_path / "validations" / "x.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>'
        '<script src="https://cdn.example.com/new-library@1.js"></script>',
        encoding="utf-8",
    )
    with pytest.raises(
        DataDocsAssetsError, match=r"validations/x\.html: https://cdn\.example\.com/new-library@1\.js"
    ):
        make_offline(tmp_path)
    assert "../static/vendor/bootstrap/dist/css/bootstrap.min.css" in page.read_text(encoding="utf-8")
