"""After a form the site only ever sends the browser back to one of its own pages."""
import pytest

from app.core.security import safe_next


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "evil.example/x",
    "javascript:alert(1)", "http:/evil.example", "/\t/evil.example", ["/list"],
])
def test_anything_but_a_path_on_this_site_gives_the_fallback(target):
    assert safe_next(target, "/fallback") == "/fallback"
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/manage/", "/search?q=tea&page=2", "/services/tea-club#map"])
def test_a_path_on_this_site_is_kept(target):
    assert safe_next(target, "/fallback") == target


def test_my_list_goes_back_only_within_the_site(client, build):
    service = build.service()
    for bad in ("https://evil.example/", "//evil.example/"):
        response = client.post("/my-list/add", data={"slug": service.slug, "next": bad})
        assert response.headers["Location"] == "/my-list"
    response = client.post("/my-list/remove", data={"slug": service.slug, "next": f"/services/{service.slug}"})
    assert response.headers["Location"] == f"/services/{service.slug}"
