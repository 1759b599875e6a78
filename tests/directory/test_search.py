import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.directory import search
from app.directory.listings import all_services_for_index
from app.directory.search import SearchRequest, search_services


def find(text="", **args):
    """(names in order, SearchResults) for a search as a resident would make it."""
    req = SearchRequest.from_args(MultiDict({"q": text, **args}))
    results = search_services(req)
    return [service.name for service, _distance in results.items], results


def _names(results):
    return results


def test_publishing_archiving_and_deleting_update_the_index_after_commit(app, db, build):
    service = build.service(name="Riverside befriending", status="draft")
    assert find("riverside")[0] == []
    service.status = "published"
    db.session.commit()
    assert _names(find("riverside")[0]) == ["Riverside befriending"]
    service.status = "archived"
    db.session.commit()
    assert find("riverside")[0] == []
    service.status = "published"
    db.session.commit()
    db.session.delete(service)
    db.session.commit()
    assert search.query_index("riverside").total == 0


def test_a_rolled_back_change_never_reaches_the_index(app, db, build):
    service = build.service(name="Allotment club")
    service.name = "Secret rename"
    db.session.flush()
    db.session.rollback()
    assert search.query_index("secret").total == 0
    assert search.query_index("allotment").total == 1


def test_a_broken_index_does_not_fail_a_change_already_committed(app, db, build, monkeypatch, caplog):
    from app.directory.models import Service
    from app.directory.search import sync

    service = build.service(name="Allotment club")

    def broken(*_args):
        raise OSError("disk error")
    monkeypatch.setattr(sync, "apply_changes", broken)
    service.name = "Allotment and orchard club"
    db.session.commit()  # raised OSError from the after-commit hook before the fix
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Allotment and orchard club"
    assert "Search index could not be updated (OSError)" in caplog.text


def test_stemming_and_small_typos_find_listings(app, build):
    build.service(name="Counselling for adults", categories=("talk-counselling",))
    build.service(name="Befriending visits", categories=("talk-befriending",))
    assert _names(find("counsel")[0]) == ["Counselling for adults"]
    assert _names(find("conseling")[0]) == ["Counselling for adults"]
    assert _names(find("befriendng")[0]) == ["Befriending visits"]


def test_name_matches_rank_above_description_matches(app, build):
    build.service(name="Tuesday lunch club", description="We also talk about gardening.")
    build.service(name="Gardening group", description="Grow vegetables together.")
    assert _names(find("gardening")[0])[0] == "Gardening group"


def test_category_names_are_searchable(app, build):
    build.service(name="Wednesday circle", description="A warm room.", categories=("money-debt",))
    assert _names(find("debt")[0]) == ["Wednesday circle"]


def test_rebuild_swaps_in_a_new_index_atomically(app, build):
    build.service(name="Chess in the park")
    count = search.rebuild_index(all_services_for_index())
    assert count == 1
    assert search.query_index("chess").total == 1
    assert search.rebuild_index(all_services_for_index()) == 1
    index_dir = app.config["SEARCH_INDEX_DIR"]
    import os
    assert os.path.islink(index_dir)
    builds = [p for p in os.listdir(os.path.dirname(index_dir)) if ".build-" in p]
    assert len(builds) == 1  # the old build was removed after the swap


def test_missing_index_falls_back_to_the_database(app, build, caplog):
    build.service(name="Singing for the brain")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
    import os
    if os.path.islink(app.config["SEARCH_INDEX_DIR"]):
        os.unlink(app.config["SEARCH_INDEX_DIR"])
    names, results = find("singing")
    assert results.used_index is False and results.total == 1 and names == ["Singing for the brain"]
    assert "Search index unavailable" in caplog.text


def test_the_database_search_reads_an_underscore_as_a_character_not_a_wildcard(app, build, tmp_path):
    build.service(name="Knitting circle")
    build.service(name="Chess club")
    assert find("_")[1].total == 0  # the index finds nothing for it
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "nowhere")
    for text in ("_", "k_itting"):
        names, results = find(text)
        assert results.used_index is False and names == [], text


def test_corrupt_index_falls_back_to_the_database(app, build, tmp_path):
    build.service(name="Knitting circle")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "MAIN_WRITELOCK").write_text("")
    (broken / "_MAIN_1.toc").write_bytes(b"\x00garbage")
    app.config["SEARCH_INDEX_DIR"] = str(broken)
    names, results = find("knitting")
    assert results.used_index is False and names == ["Knitting circle"]


def test_search_page_shows_results_and_a_plain_empty_state(client, build):
    build.service(name="Food bank on Fridays", categories=("food-banks",))
    body = client.get("/search?q=food").get_data(as_text=True)
    assert "Food bank on Fridays" in body and "1 result" in body
    empty = client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert "No listings matched your search" in empty and "116 123" in empty


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=300) | st.sampled_from(['"unbalanced', "(((", "AND", "OR NOT", "*", "?", "a~~~2",
                                                      "name:x", "x^9999", "[a TO", "\x00\x01", "🙂", "مرحبا"]))
def test_any_query_string_is_safe(client, query):
    response = client.get("/search", query_string={"q": query, "page": "x"})
    assert response.status_code == (400 if "\x00" in query else 200)  # no page takes a NUL byte


def test_very_long_query_is_shortened_with_a_message(client):
    response = client.get("/search", query_string={"q": "help " * 1000})
    assert response.status_code == 200
    assert "shortened" in response.get_data(as_text=True)
