"""The SPA reports at 375 px (English and Arabic): words stay whole in the tables, nothing is wider than the screen,
small numbers read "fewer than 5", a table downloads as CSV. What's on at 320 px: jump to a day, next week."""
import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser
SHOTS = Path("/work/snap/reports")
NOW = datetime(2026, 11, 27, 13, 0)  # Friday, GMT

# Every word in a table cell or header laid out on one line: a word split across two lines has two boxes.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table th, table td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def _fits(page, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow} px too wide at {page.viewport_size['width']} px: {page.url}"
    assert page.evaluate(BROKEN_WORDS) == []
    assert_no_serious_axe_violations(page)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        width, height = page.viewport_size["width"], page.evaluate("document.documentElement.scrollHeight")
        for n, top in enumerate(range(0, min(height, 6000), 1500)):
            page.screenshot(path=str(SHOTS / f"{name}-part{n + 1}.png"), full_page=True,
                            clip={"x": 0, "y": top, "width": width, "height": min(1500, height - top)})


def test_reports_at_375px_in_english_and_arabic(live_server, chromium, build, frozen_clock, db):
    frozen_clock(NOW)
    for route, count in (("self", 6), ("on_behalf", 5), ("worker", 2)):
        for _n in range(count):
            build.referral(route=route, created_at=datetime(2026, 11, 24, 10))
    user = build.user("spa", email="reports@test.example")
    context = chromium.new_context(viewport={"width": 375, "height": 800}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(live_server + "/sign-in")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.goto(live_server + "/spa/reports/")
        assert page.locator("#table-routes").get_by_text("fewer than 5").count() == 2
        _fits(page, "reports-375-en")
        with page.expect_download() as download:
            page.get_by_role("link", name="Referrals by who made them (CSV)").click()
        text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == ["Route", "Referrals"] and ["A worker from a community organisation", "fewer than 5"] in rows
        page.goto(live_server + "/spa/reports/?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        _fits(page, "reports-375-ar")
    finally:
        context.close()


def test_whats_on_at_320px_jump_to_a_day_and_next_week(live_server, chromium, build, frozen_clock):
    frozen_clock(NOW)
    build.service(name="Tuesday walk", weekly=[(1, "10:00", "12:00")])
    build.service(name="Crisis line", weekly=[(d, "00:00", "00:00") for d in range(7)])
    context = chromium.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        page.goto(live_server + "/whats-on/")
        _fits(page, "whats-on-320-en")
        page.get_by_role("link", name="Tuesday 1 December").click()
        assert page.url.endswith("#day-5")
        assert page.locator("#day-5").evaluate("e => e.getBoundingClientRect().top") < 50  # scrolled to it
        page.get_by_role("link", name="Next week").click()
        assert "week=1" in page.url
        assert page.locator("#day-1").inner_text().strip().endswith("Friday 4 December")
        page.goto(live_server + "/whats-on/?lang=ar")
        _fits(page, "whats-on-320-ar")
    finally:
        context.close()
