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
