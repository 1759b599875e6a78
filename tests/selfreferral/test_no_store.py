"""No page that shows referral data may be kept by the browser or a proxy (the back button on a shared computer)."""
import pytest


@pytest.mark.parametrize("url", ["/refer/", "/refer/safety", "/refer/about", "/refer/check", "/refer/sent"])
def test_referral_pages_are_never_cached(client, refer, journey_token, url):
    refer()
    if url == "/refer/sent":
        client.post("/refer/send", data={"journey": journey_token()})
    response = client.get(url)
    assert response.status_code == 200, response.headers.get("Location")
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_spa_and_report_pages_are_never_cached(client, make_referral, spa_user, login):
    referral = make_referral()
    login(spa_user)
    for url in ("/spa/", f"/spa/referrals/{referral.reference}", "/spa/shared", "/spa/reports/",
                "/spa/reports/export.csv"):
        response = client.get(url)
        assert "no-store" in response.headers.get("Cache-Control", ""), (url, response.status_code)
