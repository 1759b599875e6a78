from app.config import Config


def test_database_url_defaults_to_sqlite_in_instance(tmp_path):
    url = Config({"INSTANCE_PATH": str(tmp_path)}).SQLALCHEMY_DATABASE_URI
    assert url == f"sqlite:///{tmp_path / 'hidden_gems.sqlite'}"


def test_postgres_urls_use_the_psycopg3_driver():
    for url in ("postgres://u@h/db", "postgresql://u@h/db"):
        assert Config({"DATABASE_URL": url}).SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@h/db"


def test_languages_and_neighbourhoods_come_from_the_environment():
    config = Config({"LANGUAGES": "en, cy", "NEIGHBOURHOODS": '[{"code": "x", "name": "X", "outward_codes": ["E1"]}]'})
    assert config.LANGUAGES == ["en", "cy"]
    assert config.NEIGHBOURHOODS[0]["outward_codes"] == ["E1"]


def test_healthz_reports_database_and_index(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"]["status"] == "ok"
    assert response.json["search_index"]["status"] == "ok"


def test_healthz_reports_a_missing_index_as_degraded(app, client, tmp_path):
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "nowhere")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["search_index"]["status"] == "degraded"


def test_unknown_page_is_a_friendly_404(client, html_page):
    page = html_page(client.get("/no-such-page"))
    assert page.status_code == 404
    assert page.heading == "Page not found"
    assert page.title.startswith("Page not found")
    assert page.text(".hg-urgent a[href='tel:116123']") == "116 123"


def test_security_headers_forbid_outside_scripts(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unhandled_error_shows_the_500_page_without_details(tmp_path, caplog, html_page):
    from app import create_app
    app = create_app({"TESTING": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "INSTANCE_PATH": str(tmp_path), "SEARCH_INDEX_DIR": str(tmp_path / "index")})

    @app.route("/boom-test")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom-test?name=Jane")
    assert "Jane" not in caplog.text
    page = html_page(response)
    assert page.status_code == 500
    assert page.heading == "Sorry, there is a problem with the service"
    assert page.select_one(".hg-urgent") is not None  # people in crisis still see where to get help
    assert "secret detail" not in response.get_data(as_text=True)
