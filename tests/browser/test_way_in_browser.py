"""A resident finds the way in to the mental health team, and the site's information pages, in a real browser:
at 320 pixels and on a desktop, in English and Arabic, with the keyboard, and with axe-core on every new page."""
import pytest

from app.directory import site_pages
from tests.builders import Builders
from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

REFER = {"en": "Refer yourself", "ar": "إحالة ذاتية"}


def _fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def _title(slug, lang):
    return site_pages.shipped(lang)[0][slug]["title"]


@pytest.mark.parametrize("width", [320, 1024])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_resident_finds_the_way_in_from_every_door(live_server, chromium, build, artifacts_dir, lang, width):
    service = build.service(name="Brookfield befriending", description="Someone to talk to, every week.")
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    shot = f"way-in-{lang}-{width}"

    page.goto(f"{live_server}/?lang={lang}")
    _fits(page)
    assert_no_serious_axe_violations(page)
    header_link = page.locator("header").get_by_role("link", name=REFER[lang], exact=True)
    assert header_link.is_visible()
    assert page.locator("main").get_by_role("link", name=REFER[lang]).is_visible()
    page.screenshot(path=str(artifacts_dir / f"{shot}-home.png"))
    page.locator("header").screenshot(path=str(artifacts_dir / f"{shot}-header.png"))

    # The keyboard reaches the header link soon after the skip link, and Enter follows it.
    for _press in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hg-header__link--refer')"):
            break
    else:
        pytest.fail("Tab never reached the header's Refer yourself link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/refer/")
    _fits(page)

    # The referral start page links to the privacy notice, which can be read.
    page.locator("main a[href='/privacy']").click()
    page.wait_for_url("**/privacy")
    assert page.get_by_role("heading", level=1).inner_text() == _title("privacy", lang)
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    _fits(page)
    page.screenshot(path=str(artifacts_dir / f"{shot}-privacy.png"))

    # From a search that finds nothing, and from a listing, the way in is one link away.
    page.goto(f"{live_server}/search?q=zzqqxxy")
    _fits(page)
    page.locator("main aside.hg-refer").get_by_role("link", name=REFER[lang]).click()
    page.wait_for_url("**/refer/")
    page.goto(f"{live_server}/services/{service.slug}")
    _fits(page)
    page.locator("main aside.hg-refer").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / f"{shot}-listing.png"))
    page.locator("main aside.hg-refer").get_by_role("link", name=REFER[lang]).click()
    page.wait_for_url("**/refer/")

    # Every footer link opens its page; each is readable, fits and passes axe.
    for slug in ("privacy", "accessibility", "contact"):
        page.locator(f"footer a.govuk-footer__link[href='/{slug}']").click()
        page.wait_for_url(f"**/{slug}")
        assert page.get_by_role("heading", level=1).inner_text() == _title(slug, lang)
        _fits(page)
        assert_no_serious_axe_violations(page)
    context.close()


def test_a_manager_edits_the_arabic_privacy_notice_and_sees_it_public(live_server, page, build):
    manager = build.user("manager")
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(manager.email)
    page.get_by_label("Password", exact=True).fill(Builders.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/manage/")
    page.get_by_role("link", name="Privacy notice, accessibility statement and contact page").click()
    page.wait_for_url("**/manage/pages/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Edit Privacy notice, Arabic").click()
    page.wait_for_url("**/manage/pages/privacy/ar")
    assert_no_serious_axe_violations(page)

    # An empty title is refused with an error summary, keeping the text typed.
    page.get_by_label("Title").fill("")
    page.get_by_label("Page text").fill("## ما نجمعه\n\nنجمع **الاسم** فقط.")
    page.get_by_role("button", name="Save and publish").click()
    assert page.locator(".govuk-error-summary").get_by_role("link", name="Enter a title").is_visible()
    assert page.get_by_label("Page text").input_value() == "## ما نجمعه\n\nنجمع **الاسم** فقط."
    assert_no_serious_axe_violations(page)

    page.get_by_label("Title").fill("إشعار الخصوصية الجديد")
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#preview h2", has_text="ما نجمعه").is_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_url("**/manage/pages/")
    assert "Saved. The page is live." in page.inner_text(".govuk-notification-banner")

    page.goto(f"{live_server}/privacy?lang=ar")
    assert page.get_by_role("heading", level=1).inner_text() == "إشعار الخصوصية الجديد"
    assert page.locator(".hg-page h2").inner_text() == "ما نجمعه"
    assert page.locator(".hg-page strong").inner_text() == "الاسم"
    assert page.locator("main [lang=en]").count() == 0


@pytest.mark.parametrize("lang", ["en", "ar", "bn", "so", "es", "pt", "pl"])
def test_the_header_and_the_new_pages_fit_320_pixels_in_every_language(live_server, chromium, build, lang):
    service = build.service(name="Brookfield befriending")
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", f"/services/{service.slug}", "/search?q=zzqqxxy", "/refer/", "/privacy", "/accessibility",
                 "/contact"):
        page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
        _fits(page)
        assert page.locator("header a.hg-header__link--refer").is_visible()
    context.close()
