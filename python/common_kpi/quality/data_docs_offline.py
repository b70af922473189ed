"""Make Great Expectations' data docs self-contained, so they render offline.

GX's page templates load Bootstrap, bootstrap-table, jQuery, Font Awesome and Vega from CDNs
(and its logo from S3): opened from a file on a machine without internet access (a meeting
room, a locked-down laptop, a CI artifact) the pages render blank. After GX writes the site,
`make_offline(docs_dir)`:

1. copies the same libraries, at the versions pinned in data_docs_assets/package.json (npm,
   installed on first use with `npm ci`: no CDN at view time), into `static/vendor/` of the
   site, and takes the logo from GX's own package (the site's `static/images/`);
2. rewrites every CDN reference in every page to the local copy (a relative path, so the
   folder can be moved or zipped), dropping the `integrity` / `crossorigin` attributes that
   browsers refuse on file:// scripts;
3. fails with the URL named when a page still loads an asset from the network (a GX upgrade
   that adds a library): CDN_ASSETS then needs a line for it.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from pathlib import Path

ASSETS_DIR = Path(__file__).with_name("data_docs_assets")
NODE_MODULES = ASSETS_DIR / "node_modules"
VENDOR = Path("static") / "vendor"

FILTER_CONTROL_CDN = "https://unpkg.com/bootstrap-table@{version}/dist/extensions/filter-control/bootstrap-table-filter-control"
FILTER_CONTROL = "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control"
CDN_ASSETS: dict[str, str] = {
    # URL in GX's templates → file in node_modules (data_docs_assets/package.json pins them)
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap/dist/css/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap/dist/js/bootstrap.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table/dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table/dist/bootstrap-table.min.js"
    ),
    f"{FILTER_CONTROL_CDN.format(version='1.19.1')}.min.js": f"{FILTER_CONTROL}.min.js",
    f"{FILTER_CONTROL_CDN.format(version='1.19.0')}.css": f"{FILTER_CONTROL}.min.css",
    f"{FILTER_CONTROL_CDN.format(version='1.19.0')}.min.css": f"{FILTER_CONTROL}.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free/css/all.min.css"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    # GX asks for popper 1.12.9; bootstrap 4.3.1 itself requires popper >= 1.14.7 (npm peer).
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js/dist/umd/popper.min.js"
    ),
}
ASSET_FOLDERS = ("@fortawesome/fontawesome-free/webfonts",)
"""Folders copied whole: files a copied stylesheet loads relatively (Font Awesome's fonts)."""

GX_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
GX_IMAGE_FILES = {"full_logo_dark.png": "logo-long.png"}
"""GX's logo from S3 → the copy under the site's static/images/ (GX ships logo-long.png; the
dark variant it has not, the light one stands in)."""

# An asset reference: src= / href= of a tag, or url(...) / @import in a stylesheet.
ASSET_REFERENCE = re.compile(
    r"""(?:<(?:script|img|link|source|iframe)\b[^>]*?\b(?:src|href)\s*=\s*["']|url\(\s*["']?|@import\s+["'])"""
    r"""(https?://[^"')\s]+)""",
    re.IGNORECASE,
)
SRI_ATTRIBUTES = re.compile(r'\s+(?:integrity|crossorigin)="[^"]*"')


class DataDocsAssetsError(RuntimeError):
    """The libraries cannot be installed, or a page still loads an asset from the network."""


def install_assets() -> Path:
    """node_modules of data_docs_assets (`npm ci` when a pinned file is missing). One install at
    a time (an flock): two processes running `npm ci` into one folder break each other."""
    wanted = [NODE_MODULES / path for path in [*CDN_ASSETS.values(), *ASSET_FOLDERS]]
    with open(ASSETS_DIR / "node_modules.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(path.exists() for path in wanted):
            return NODE_MODULES
        npm = shutil.which("npm")
        if npm is None:
            raise DataDocsAssetsError(
                "npm is not installed: the data docs' styles and scripts are installed with npm "
                f"(`npm ci --prefix {ASSETS_DIR}`); install Node.js/npm (Debian: apt-get install npm)"
            )
        print("[quality] installing the data docs' styles and scripts with npm (first run only)", flush=True)
        completed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(ASSETS_DIR)],
            capture_output=True,
            text=True,
            check=False,
        )
    missing = [str(path) for path in wanted if not path.exists()]
    if completed.returncode != 0 or missing:
        detail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        raise DataDocsAssetsError(
            f"`npm ci --prefix {ASSETS_DIR}` failed (exit {completed.returncode}): {' '.join(detail)}"
        )
    return NODE_MODULES


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def network_assets(html: str) -> list[str]:
    """Every http(s) URL a page loads as an asset (scripts, stylesheets, images, fonts)."""
    return ASSET_REFERENCE.findall(html)


def make_offline(docs_dir: Path) -> int:
    """Vendor the assets into `docs_dir` and point every page at them; return the number of
    pages rewritten. `DataDocsAssetsError` if a page still loads an asset from the network."""
    modules = install_assets()
    vendor = docs_dir / VENDOR
    for relative in [*CDN_ASSETS.values(), *ASSET_FOLDERS]:
        source, target = modules / relative, vendor / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
    images = docs_dir / "static" / "images"
    image_reference = re.compile(re.escape(GX_IMAGES) + r"([\w.-]+)(?:\?[^\"')\s]*)?")
    rewritten = 0
    leftovers: dict[str, list[str]] = {}
    for page in sorted(docs_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        original = html
        for url, relative in CDN_ASSETS.items():
            if url not in html:
                continue
            local = _relative(vendor / relative, page)
            html = re.sub(
                r'(<[^>]*?["\'])' + re.escape(url) + r'(["\'][^>]*>)',
                lambda match, local=local: SRI_ATTRIBUTES.sub("", match.group(1) + local + match.group(2)),
                html,
            )
        html = image_reference.sub(
            lambda match, page=page: _relative(
                images / GX_IMAGE_FILES.get(match.group(1), match.group(1)), page
            ),
            html,
        )
        if html != original:
            page.write_text(html, encoding="utf-8")
            rewritten += 1
        remaining = network_assets(html)
        if remaining:
            leftovers[str(page.relative_to(docs_dir))] = sorted(set(remaining))
    if leftovers:
        listing = "; ".join(f"{page}: {', '.join(urls)}" for page, urls in leftovers.items())
        raise DataDocsAssetsError(
            "data docs still load assets from the network (add them to CDN_ASSETS in "
            f"python/common_kpi/quality/data_docs_offline.py): {listing}"
        )
    return rewritten
