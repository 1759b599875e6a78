from datetime import timedelta

from app.core.db import utcnow


def test_home_page_has_search_categories_and_urgent_help(client, build):
    build.service(categories=("money-debt",))
    body = client.get("/").get_data(as_text=True)
    assert 'role="search"' in body
    assert "Someone to talk to" in body and "Money" in body
    assert "1 listing" in body  # the money tile counts its subcategory's listing
    for number in ("999", "NHS 111", "116 123"):
        assert number in body


def test_category_page_lists_published_services_of_its_subcategories(client, build):
    shown = build.service(name="Debt drop-in", categories=("money-debt",))
    build.service(name="Hidden draft", categories=("money-debt",), status="draft")
    build.service(name="Old archived", categories=("money-benefits",), status="archived")
    body = client.get("/categories/money").get_data(as_text=True)
    assert shown.name in body
    assert "Hidden draft" not in body and "Old archived" not in body
    assert "1 listing" in body


def test_unknown_category_is_404(client):
    assert client.get("/categories/no-such-thing").status_code == 404
    assert client.get("/categories/" + "x" * 500).status_code == 404


def test_category_page_number_is_forgiving(client, build):
    build.service(categories=("food-banks",))
    for page in ("0", "-3", "abc", "99999999999999999999"):
        assert client.get(f"/categories/food?page={page}").status_code == 200


def test_service_page_shows_everything_a_resident_and_a_professional_need(client, build):
    service = build.service(
        name="Chair exercise", description="Gentle **seated** exercise.\n\n- music\n- tea",
        weekly=[(1, "10:00", "11:30"), (4, "22:00", "02:00")], capacity_status="waiting_list",
        capacity_note="Waiting list until March", min_age=50, accessibility=["step_free"], cost_type="low_cost",
        cost_text="£2 a session", events=[(utcnow().date() + timedelta(days=3), "14:00", "16:00", "Taster session")],
    )
    body = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert "<strong>seated</strong>" in body and "<li>music</li>" in body
    assert "Tuesday" in body and "10:00" in body and "11:30" in body
    assert "(the next day)" in body  # the Friday night session runs past midnight
    assert "Taster session" in body
    assert "Waiting list" in body and "Waiting list until March" in body
    assert "Alex Liaison" in body and "Contact for professionals" in body
    assert "Last checked" in body
    assert "Ages 50 and over" in body and "Step-free access" in body and "£2 a session" in body
    assert "NW5 2AB" in body and "Kentish Town" in body


def test_service_page_escapes_and_sanitises_provider_text(client, build):
    service = build.service(name="<script>alert(1)</script>Group",
                            description="Hi <script>alert(2)</script> [x](javascript:alert(3))")
    body = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert "<script>alert" not in body
    assert "javascript:alert" not in body
    assert "&lt;script&gt;alert(1)" in body


def test_draft_and_archived_services_are_not_public(client, build):
    for status in ("draft", "archived"):
        service = build.service(status=status)
        assert client.get(f"/services/{service.slug}").status_code == 404


def test_out_of_date_listing_warns_the_public(client, build):
    old = build.service(last_verified_at=utcnow() - timedelta(days=400))
    fresh = build.service()
    assert "may be out of date" in client.get(f"/services/{old.slug}").get_data(as_text=True)
    assert "may be out of date" not in client.get(f"/services/{fresh.slug}").get_data(as_text=True)


def test_remote_only_service_says_so(client, build):
    service = build.service(location=False, formats=["phone"])
    assert "online or by phone" in client.get(f"/services/{service.slug}").get_data(as_text=True)


def test_24_hour_service_shows_open_24_hours(client, build):
    service = build.service(weekly=[(d, "00:00", "00:00") for d in range(7)])
    body = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert body.count("Open 24 hours") == 7


def test_categories_index_lists_every_subcategory(client):
    body = client.get("/categories/").get_data(as_text=True)
    for name in ("Befriending", "Benefits and PIP appeals", "Chair exercise", "Faith groups", "Stop smoking"):
        assert name in body
