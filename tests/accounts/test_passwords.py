"""The tests hash passwords cheaply (tests/conftest.py); production keeps argon2id at its full cost."""
from argon2 import Type, extract_parameters

from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.config import Config


def test_production_password_hashing(app, monkeypatch):
    production = Config({})
    monkeypatch.setitem(app.config, "PASSWORD_HASH_TIME_COST", production.PASSWORD_HASH_TIME_COST)
    monkeypatch.setitem(app.config, "PASSWORD_HASH_MEMORY_COST", production.PASSWORD_HASH_MEMORY_COST)
    password_hash = hash_password("apple river cloud")
    parameters = extract_parameters(password_hash)
    assert (parameters.type, parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        Type.ID, 3, 65536, 4)
    assert verify_password(password_hash, "apple river cloud")
    assert not verify_password(password_hash, "apple river")
    assert not needs_rehash(password_hash)


def test_a_hash_made_at_another_cost_still_verifies_and_is_upgraded_at_sign_in(app, build, client, db):
    user = build.user("spa")
    cheap_hash = user.password_hash
    assert extract_parameters(cheap_hash).time_cost == app.config["PASSWORD_HASH_TIME_COST"]
    app.config["PASSWORD_HASH_TIME_COST"] += 1
    try:
        assert needs_rehash(cheap_hash)
        response = client.post("/sign-in", data={"email": user.email, "password": build.PASSWORD})
        assert response.status_code == 302
        db.session.refresh(user)
        assert user.password_hash != cheap_hash and not needs_rehash(user.password_hash)
    finally:
        app.config["PASSWORD_HASH_TIME_COST"] -= 1
