"""The change-password page puts each error on the field it is about, in every language."""
import pytest
from bs4 import BeautifulSoup

from tests.builders import Builders


def _error_fields(response):
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return {p["id"].removesuffix("-error"): p.get_text(" ", strip=True) for p in soup.select(".govuk-error-message")}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_wrong_current_password_is_shown_on_the_current_password_field(client, build, login, lang):
    login(build.user("manager"))
    response = client.post(f"/account/password?lang={lang}", data={
        "current": "not my password", "password": "fresh passphrase one", "confirm": "fresh passphrase one"})
    assert response.status_code == 400
    assert list(_error_fields(response)) == ["current"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_weak_new_password_is_shown_on_the_new_password_field(client, build, login, lang):
    login(build.user("manager"))
    response = client.post(f"/account/password?lang={lang}", data={
        "current": Builders.PASSWORD, "password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert response.status_code == 400
    assert list(_error_fields(response)) == ["password"]
