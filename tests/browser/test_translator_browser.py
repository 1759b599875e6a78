"""A translator signs in, fixes a text and sees it on the public page; the fix survives a fresh deploy (a new
checkout of the shipped catalogues against the same database). An empty save is refused; a reviewed pack goes
back to awaiting review. English and Arabic, desktop and a 320 px phone."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db as _db
from tests.conftest import _test_config, assert_no_serious_axe_violations
from tests.i18n.conftest import ROOT

pytestmark = pytest.mark.browser

SPANISH = "Apoyo de barrio en %(borough)s"
ARABIC = "دعم الحي في %(borough)s"


def _fits(page, label):
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), label


def _edit(page, live_server, code, search, text):
    page.goto(live_server + f"/translate/{code}?show=all&q={search}")
    page.get_by_role("link", name=search).first.click()
    page.locator("#form0").fill(text)
    page.locator("main form button[type=submit]").click()  # the page may be in another language by now


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_translators_edit_is_live_and_survives_a_fresh_deploy(app, live_server, page, build, artifacts_dir,
                                                                  tmp_path):
    translator = build.user("translator", email="translator@test.example")
    build.service(name="Thursday lunch club")
    page.goto(live_server + "/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(translator.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/translate/")
    page.get_by_role("link", name="Spanish").click()
    assert page.locator("h1").inner_text().startswith("Translate: Spanish (español)")
    page.get_by_role("button", name="Mark as reviewed by a native speaker").click()

    # An empty save is refused with an error, and nothing changes.
    page.goto(live_server + "/translate/es?show=all&q=Find local support in")
    page.get_by_role("link", name="Find local support in %(borough)s").click()
    assert "Shown on: Home page" in page.inner_text("main")  # where the text is shown, not a file path
    page.locator("#form0").fill("")
    page.get_by_role("button", name="Save and publish").click()
    assert page.title().startswith("Error:")
    assert "Enter a translation" in page.inner_text(".govuk-error-summary")
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "translate-empty-refused.png"), full_page=True)

    page.locator("#form0").fill(SPANISH)
    page.get_by_role("button", name="Save and publish").click()
    assert "live on the site now" in page.inner_text(".govuk-notification-banner, main")
    page.goto(live_server + "/translate/")
    assert "Changed since the last review:" in page.inner_text("main")  # the reviewed pack went back
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "translate-dashboard.png"), full_page=True)

    page.goto(live_server + "/?lang=es")
    assert "Apoyo de barrio en Camden" in page.inner_text("main")

    # Arabic: the translator's pages and the public page, right to left, on a 320 px phone.
    _edit(page, live_server, "ar", "Find local support in %(borough)s", ARABIC)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl" and "دعم الحي في Camden" in page.inner_text("main")
    _fits(page, "home in Arabic")
    page.goto(live_server + "/translate/ar?show=all&q=Find local support")
    page.screenshot(path=str(artifacts_dir / "translate-language-ar-320.png"), full_page=True)
    _fits(page, "language pack in Arabic, 320 px")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Find local support in %(borough)s").click()
    _fits(page, "edit page in Arabic, 320 px")
    page.screenshot(path=str(artifacts_dir / "translate-edit-ar-320.png"), full_page=True)
    page.goto(live_server + "/translate/")
    _fits(page, "dashboard, 320 px")
    page.goto(live_server + "/translate/listings")
    _fits(page, "listings to translate, 320 px")
    page.screenshot(path=str(artifacts_dir / "translate-listings-320.png"), full_page=True)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_server + "/translate/listings?lang=en")
    page.get_by_label("Language", exact=True).select_option("so")
    page.get_by_label("Show", exact=True).select_option("untranslated")
    page.locator("main form button[type=submit]").click()
    assert "Thursday lunch club" in page.inner_text("main") and "Not translated" in page.inner_text("main")
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "translate-listings-untranslated.png"), full_page=True)

    # A fresh deploy: a new checkout of the shipped files, a new server, the same database.
    fresh = tmp_path / "new-checkout" / "translations"
    shutil.copytree(ROOT / "translations", fresh, ignore=shutil.ignore_patterns("*.lock", "*.bak-*"))
    config = _test_config(tmp_path)
    config.update(BABEL_TRANSLATION_DIRECTORIES=str(fresh),
                  SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    deployed = create_app(config)
    server = _serve(deployed)
    try:
        page.goto(f"http://127.0.0.1:{server.port}/?lang=es")
        assert "Apoyo de barrio en Camden" in page.inner_text("main")
        page.goto(f"http://127.0.0.1:{server.port}/?lang=ar")
        assert "دعم الحي في Camden" in page.inner_text("main")
        page.screenshot(path=str(artifacts_dir / "translate-after-deploy-ar.png"), full_page=True)
    finally:
        server.shutdown()
        with deployed.app_context():
            _db.engine.dispose()
