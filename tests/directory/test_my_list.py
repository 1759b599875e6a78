from tests.conftest import HtmlPage


def test_anyone_can_collect_print_and_share_a_list(client, build):
    first = build.service(name="Food bank", weekly=[(2, "10:00", "12:00")])
    second = build.service(name="Debt advice", location=False, formats=["phone"])
    for service in (first, second):
        response = client.post("/my-list/add", data={"slug": service.slug, "next": "/search?q=food"})
        assert response.status_code == 302 and response.headers["Location"] == "/search?q=food"
    page = client.get("/my-list").get_data(as_text=True)
    assert "Food bank" in page and "Debt advice" in page
    assert f"items={first.slug},{second.slug}" in page.replace("%2C", ",")

    handout = client.get("/my-list/print").get_data(as_text=True)
    assert "Support you could try" in handout
    assert "NW5 2AB" in handout and "Wednesday" in handout and "020 7946 0001" in handout
    assert "116 123" in handout

    # The share link re-opens the same list in a fresh browser.
    other = client.application.test_client()
    shared = other.get(f"/my-list?items={first.slug},{second.slug}").get_data(as_text=True)
    assert "A list shared with you" in shared and "Food bank" in shared and "Debt advice" in shared


def test_removing_and_duplicates(client, build):
    service = build.service(name="Art club")
    client.post("/my-list/add", data={"slug": service.slug})
    client.post("/my-list/add", data={"slug": service.slug})
    assert client.get("/my-list").get_data(as_text=True).count('hg-card__title') == 1
    client.post("/my-list/remove", data={"slug": service.slug})
    assert "Your list is empty" in client.get("/my-list").get_data(as_text=True)


def test_unpublished_or_unknown_listings_cannot_be_added_or_shared(client, build):
    draft = build.service(name="Secret draft", status="draft")
    assert client.post("/my-list/add", data={"slug": draft.slug}).status_code == 404
    assert client.post("/my-list/add", data={"slug": "x" * 5000}).status_code == 404
    body = client.get(f"/my-list?items={draft.slug},nope,{'a' * 6000}").get_data(as_text=True)
    assert "Secret draft" not in body


def test_my_list_does_not_redirect_off_site(client, build):
    service = build.service()
    response = client.post("/my-list/add", data={"slug": service.slug, "next": "https://evil.example/"})
    assert "evil" not in response.headers["Location"]


def test_the_list_has_a_limit(client, build):
    org = build.organisation()
    services = [build.service(organisation=org, location=False) for _ in range(31)]
    for service in services[:30]:
        client.post("/my-list/add", data={"slug": service.slug})
    response = client.post("/my-list/add", data={"slug": services[30].slug}, follow_redirects=True)
    assert "Your list can hold 30 listings" in response.get_data(as_text=True)


def test_a_shared_list_can_be_added_to_your_own(client, build):
    mine = build.service(name="Lunch club")
    first = build.service(name="Food bank")
    second = build.service(name="Debt advice")
    client.post("/my-list/add", data={"slug": mine.slug})
    shared = HtmlPage(client.get(f"/my-list?items={first.slug},{second.slug},{mine.slug}"))
    form = shared.select_one("form.hg-list-save")
    assert form["method"] == "post" and form["action"] == "/my-list/save"
    assert form.select_one("[name=csrf_token]") is not None
    assert shared.text("form.hg-list-save button") == "Add these to your list"

    response = client.post("/my-list/save", data={"items": form.select_one("[name=items]")["value"]})
    assert response.status_code == 302 and response.headers["Location"] == "/my-list"
    page = HtmlPage(client.get("/my-list"))
    assert page.heading == "Your list"
    assert "2 listings were added to your list." in page.text(".govuk-notification-banner")
    # Merged, not replaced: what was there first stays first, and nothing is there twice.
    assert page.texts(".hg-card__title") == ["Lunch club", "Food bank", "Debt advice"]

    client.post("/my-list/save", data={"items": f"{first.slug}"})
    assert "already in your list" in HtmlPage(client.get("/my-list")).text(".govuk-notification-banner")
    assert HtmlPage(client.get("/my-list")).select_one("form.hg-list-save") is None  # only on a shared list


def test_saving_a_shared_list_refuses_bad_input(app, client, build):
    draft = build.service(name="Secret draft", status="draft")
    for items in ("", "garbage,,,", draft.slug, "x" * 100_000, "<script>", "\u202e,nope"):
        response = client.post("/my-list/save", data={"items": items})
        assert response.status_code == 302, items[:20]
    page = HtmlPage(client.get("/my-list"))
    assert "Your list is empty" in page.text("main")
    assert "There were no listings to add" in page.text(".govuk-notification-banner")
    assert client.post("/my-list/save", data={"items": "a\x00b"}).status_code == 400  # the site refuses NUL

    app.config["WTF_CSRF_ENABLED"] = True
    service = build.service()
    assert client.post("/my-list/save", data={"items": service.slug}).status_code == 400


def test_saving_a_shared_list_stops_at_the_limit(client, build):
    org = build.organisation()
    services = [build.service(organisation=org, location=False) for _ in range(32)]
    for service in services[:25]:
        client.post("/my-list/add", data={"slug": service.slug})
    client.post("/my-list/save", data={"items": ",".join(s.slug for s in services[20:])})
    page = HtmlPage(client.get("/my-list"))
    assert len(page.select(".hg-card")) == 30
    assert "not all of them were added" in page.text(".govuk-notification-banner")


DESCRIPTION = """We meet every week to cook and eat together.

Bring:

- an apron
- a friend, if you like

Everyone is welcome, and the last paragraph must be printed too."""


def test_the_handout_has_whole_descriptions_addresses_and_a_qr_code_of_each_listing(client, build):
    org = build.organisation(name="Hall Trust", email="hall@org.example")
    place = build.location(org, nearest_station="Gospel Oak")
    service = build.service(organisation=org, location=place, name="Cook and eat", description=DESCRIPTION,
                            weekly=[(4, "18:00", "20:00")])
    client.post("/my-list/add", data={"slug": service.slug})
    page = HtmlPage(client.get("/my-list/print"))
    item = page.select_one(".hg-handout__item")
    prose = item.select_one(".hg-prose")
    assert [li.get_text() for li in prose.select("ul li")] == ["an apron", "a friend, if you like"]
    assert len(prose.select("p")) == 3 and "the last paragraph must be printed too." in prose.get_text()
    text = " ".join(item.get_text(" ").split())
    assert "Test Hall, 1 Test Road, London, NW5 2AB" in text and "Nearest station: Gospel Oak" in text
    assert "020 7946 0001" in text and "hall@org.example" in text and "Friday" in text

    url = f"http://localhost/services/{service.slug}"
    assert page.text(".hg-handout__url") == url
    svg = item.select_one("svg.hg-qr")
    assert svg is not None and svg["aria-hidden"] == "true"
    assert str(svg.select_one("path")["d"]) == _qr_path(url)
    # The site's own name and address, at the top and the bottom of the page.
    sites = page.texts(".hg-handout__site")
    assert len(sites) == 2 and all("http://localhost/" in s for s in sites) and "Hidden Gems" in sites[0]


def _qr_path(url):
    import segno
    from bs4 import BeautifulSoup
    svg = segno.make(url, error="m").svg_inline(border=2, lineclass=None, omitsize=True)
    return BeautifulSoup(svg, "html.parser").select_one("path")["d"]


def test_a_shared_handout_prints_the_same_way_and_skips_what_is_not_published(client, build):
    public = build.service(name="Open group", description="- first point\n- second point")
    draft = build.service(name="Draft group", status="draft")
    page = HtmlPage(client.get(f"/my-list/print?items={public.slug},{draft.slug},nonsense"))
    assert page.texts(".hg-handout__item h2") == [f"Open group ({public.organisation.name})"]
    assert page.texts(".hg-prose li") == ["first point", "second point"]
    assert len(page.select("svg.hg-qr")) == 1
    for items in ("a," * 5000, "%00", ",,,", "<svg onload=alert(1)>"):
        response = client.get("/my-list/print", query_string={"items": items})
        assert response.status_code in (200, 400) and "<svg onload" not in response.get_data(as_text=True)
