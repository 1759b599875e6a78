"""A resident searches, filters, collects two listings and reaches the printable handout."""
import re

import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def test_search_filter_collect_and_print(live_server, page, build, artifacts_dir):
    org = build.organisation(name="Fairfield Community Hall")
    build.service(organisation=org, name="Free debt advice drop-in", categories=("money-debt",), cost_type="free",
                  weekly=[(0, "10:00", "12:00")])
    build.service(organisation=org, name="Benefits and PIP appeals help", categories=("money-benefits",),
                  cost_type="free", weekly=[(2, "13:00", "15:00")])
    build.service(organisation=org, name="Paid money coaching", categories=("money-budgeting",), cost_type="paid")

    page.goto(live_server + "/")
    page.get_by_label("What are you looking for?").fill("money")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=money")
    assert "3 results" in page.inner_text(".hg-result-count")

    page.get_by_label("Free (2)").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**cost=free**")
    assert "2 results" in page.inner_text(".hg-result-count")
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "search-results.png"), full_page=True)

    page.get_by_role("button", name=re.compile("Add to my list.*Free debt advice drop-in")).click()
    page.get_by_role("button", name=re.compile("Add to my list.*Benefits and PIP appeals help")).click()
    assert "cost=free" in page.url  # still on the same filtered results

    page.goto(live_server + "/my-list")
    assert page.locator(".hg-card").count() == 2
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Print this list").click()
    page.wait_for_url("**/my-list/print**")
    page.emulate_media(media="print")
    assert page.locator(".hg-header").is_hidden()
    text = page.inner_text("main")
    assert "Free debt advice drop-in" in text and "Benefits and PIP appeals help" in text and "Monday" in text
    page.pdf(path=str(artifacts_dir / "my-list-handout.pdf"))


def test_search_works_with_javascript_turned_off(live_server, chromium, build):
    build.service(name="Walking group", categories=("active-walking",))
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/search?q=walk")
    page.get_by_label("Open now").check()
    page.get_by_role("button", name="Search").click()
    assert "open=now" in page.url
    context.close()
