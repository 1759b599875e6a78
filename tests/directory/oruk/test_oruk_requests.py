"""Bad parameters, unknown ids, caching headers and CORS: all without the demo data (fast)."""
import pytest

from app.directory.oruk import taxonomies

BAD = [
    "/services?page=-1", "/services?page=0", "/services?page=abc", "/services?per_page=0",
    "/services?taxonomy_term_id=not-a-uuid", "/services?taxonomy_term_id=00000000-0000-0000-0000-000000000000",
    "/services?taxonomy_id=00000000-0000-0000-0000-000000000000", "/services?organization_id=xyz",
    "/services?minimum_age=old", "/services?maximum_age=-3", "/services?day=funday", "/services?start_time=25:00",
    "/services?end_time=noon", "/services?modified_after=yesterday", "/services?postcode=NOTAPOSTCODE",
    "/services?postcode=ZZ9 9ZZ", "/services?postcode=NW5&proximity=far", "/services?postcode=NW5&proximity=-1",
    "/services?proximity=2", "/services?full_service=maybe", "/services?page=1&page=2", "/services?lang=klingon",
    "/service_at_locations?day=funday", "/taxonomy_terms?parent_id=nope", "/taxonomy_terms?top_only=perhaps",
    "/taxonomies?per_page=-5", "/services?search=a%00b",
]


@pytest.mark.parametrize("path", BAD)
def test_bad_parameters_get_a_400_with_a_json_body(client, path):
    response = client.get(f"/api/v1{path}")
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == "bad_request" and body["status"] == 400 and body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/services/not-a-uuid", "/services/00000000-0000-0000-0000-000000000000",
                                  "/service_at_locations/123", "/taxonomies/00000000-0000-0000-0000-000000000000",
                                  "/taxonomy_terms/x", "/nowhere"])
def test_unknown_ids_get_a_404_with_a_json_body(client, path):
    response = client.get(f"/api/v1{path}")
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_a_huge_per_page_is_capped_and_says_so(client, build):
    for _ in range(3):
        build.service()
    response = client.get("/api/v1/services?per_page=1000000000")
    assert response.status_code == 200 and response.headers["X-Per-Page-Capped"] == "100"
    assert response.get_json()["total_items"] == 3
    assert "X-Per-Page-Capped" not in client.get("/api/v1/services?per_page=5").headers


def test_etag_and_last_modified_answer_304_until_something_changes(client, build, db):
    service = build.service(name="Knitting circle")
    first = client.get("/api/v1/services")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert first.headers["Access-Control-Allow-Origin"] == "*" and "Set-Cookie" not in first.headers
    again = client.get("/api/v1/services", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert client.get("/api/v1/services", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/api/v1/services?per_page=2", headers={"If-None-Match": etag}).status_code == 200
    preflight = client.options("/api/v1/services", headers={"Origin": "https://elsewhere.example",
                                                            "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    service.name = "Knitting and natter"
    db.session.commit()
    changed = client.get("/api/v1/services", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["contents"][0]["name"] == "Knitting and natter"


def test_the_guide_page_explains_the_api_and_the_footer_links_it(client):
    page = client.get("/api/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/v1/openapi.json" in text and "Open Government Licence" in text
    assert taxonomies.term("categories", "food-banks").id in text
    assert 'href="/api/"' in client.get("/").get_data(as_text=True)
    arabic = client.get("/api/?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and 'dir="ltr"' in arabic


def test_a_changed_place_changes_the_etag(client, build, db):
    from app.directory import moderation
    from app.directory.snapshots import snapshot_organisation
    service = build.service()
    etag = client.get("/api/v1/service_at_locations").headers["ETag"]
    org = service.organisation
    snapshot = snapshot_organisation(org)
    snapshot["locations"][0]["address_1"] = "2 New Road"
    moderation.apply_directly("organisation", org, {"locations": snapshot["locations"]}, build.user("manager"))
    db.session.commit()
    changed = client.get("/api/v1/service_at_locations", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    link = changed.get_json()["contents"][0]
    assert client.get(f"/api/v1/service_at_locations/{link['id']}").get_json()["location"]["addresses"][0][
        "address_1"] == "2 New Road"


def test_lang_sets_no_cookie_and_is_not_remembered(client):
    food = taxonomies.term("categories", "food")
    response = client.get(f"/api/v1/taxonomy_terms/{food.id}?lang=ar")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.get_json()["name"] not in ("", "Food")
    assert client.get(f"/api/v1/taxonomy_terms/{food.id}").get_json()["name"] == "Food"
