"""Built CSS and scripts under hashed names, cached for a year; every asset a page or the CSS links exists."""
import re
from urllib.parse import urljoin

import pytest

from app.core import assets

HASHED = re.compile(r"^/static/dist/[a-z-]+\.[0-9a-f]{10}(\.min)?\.(css|js)$")


def _get(client, url):
    """A static file's response, read and closed (the test client leaves the file open otherwise)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _linked(html_page, response):
    page = html_page(response)
    found = [tag["href"] for tag in page.select("link[href]")] + [tag["src"] for tag in page.select("[src]")]
    return [url for url in found if url.startswith("/static/")]


def test_pages_link_the_hashed_css_and_script(client, html_page):
    links = _linked(html_page, client.get("/"))
    css = [url for url in links if url.endswith(".css")]
    scripts = [url for url in links if url.endswith(".js")]
    assert len(css) == 1 and HASHED.match(css[0]), links
    assert len(scripts) == 1 and HASHED.match(scripts[0]), links
    assert css[0] == "/static/dist/" + assets.manifest()["app.css"]


def test_a_hashed_file_is_cached_for_a_year(client):
    response = _get(client, "/static/dist/" + assets.manifest()["app.css"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/css"


@pytest.mark.parametrize("path", ["/static/dist/assets/images/govuk-crest.svg", "/static/dist/manifest.json",
                                  "/static/js/app.js"])
def test_other_static_files_are_cached_briefly(client, path):
    response = _get(client, path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_a_missing_static_file_is_a_404_that_is_not_cached_for_long(client):
    response = _get(client, "/static/dist/app.0000000000.css")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_every_url_in_the_built_css_exists(client):
    css_url = "/static/dist/" + assets.manifest()["app.css"]
    css = _get(client, css_url).get_data(as_text=True)
    urls = {url.strip("'\"") for url in re.findall(r"url\(([^)]+)\)", css)}
    urls = {url for url in urls if not url.startswith("data:")}
    assert urls, "the GOV.UK styles reference at least one image"
    for url in urls:
        response = _get(client, urljoin(css_url, url))
        assert response.status_code == 200, url


def test_every_module_a_script_imports_exists(client):
    for name, file in assets.manifest().items():
        if not name.endswith(".js"):
            continue
        url = "/static/dist/" + file
        source = _get(client, url).get_data(as_text=True)
        for imported in re.findall(r"""(?:^|\n)\s*import[^"';]*["']([^"']+)["']""", source):
            response = _get(client, urljoin(url, imported))
            assert response.status_code == 200, (url, imported)
            assert response.headers["Cache-Control"].endswith("immutable")


def test_every_asset_a_page_links_exists(client, build, html_page):
    service = build.service(name="Kentish Town Walking Group")
    pages = ["/", "/search?q=walking", f"/services/{service.slug}", "/refer/", "/sign-in", "/no-such-page"]
    client.post("/refer/start")
    pages.append("/refer/about")  # a referral step links draft-timeout.js as well
    linked = set()
    for path in pages:
        linked.update(_linked(html_page, client.get(path)))
    assert any("draft-timeout" in url for url in linked)
    for url in linked:
        assert _get(client, url).status_code == 200, url


def test_a_missing_manifest_falls_back_to_the_plain_name(app, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(assets, "_manifest_path", lambda: tmp_path / "nowhere.json")
    with app.test_request_context("/"):
        assert assets.static_asset("app.css") == "/static/dist/app.css"
    assert "make assets" in caplog.text
