"""`flask users add-role/remove-role/add-org/remove-org`: a leaver's access can be taken away on the CLI, with a
clear error (never a traceback) for a wrong email, role or slug."""
from sqlalchemy import select

from app.core.audit import AuditEvent


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["users", *args])


def _events(db, action):
    return db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def test_remove_role_takes_it_away_and_ends_sessions(app, build, db):
    user = build.user("spa", "manager")
    token = user.session_token
    result = _run(app, "remove-role", user.email, "spa")
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.roles == {"manager"}
    assert user.session_token != token
    assert [e.detail for e in _events(db, "user_role_remove")] == [f"user={user.id} role=spa"]


def test_add_role(app, build, db):
    user = build.user("manager")
    result = _run(app, "add-role", user.email.upper(), "translator")
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.roles == {"manager", "translator"}
    assert _events(db, "user_role_add")


def test_role_errors_are_clear(app, build):
    user = build.user("manager")
    for args, message in ((("remove-role", user.email, "spa"), "does not have the role"),
                          (("add-role", user.email, "manager"), "already has the role"),
                          (("add-role", user.email, "wizard"), "Invalid value"),
                          (("remove-role", "nobody@test.example", "spa"), "No user with the email")):
        result = _run(app, *args)
        assert result.exit_code in (1, 2), result.output
        assert message in result.output, result.output
        assert "Traceback" not in result.output


def test_remove_and_add_an_organisation(app, build, db):
    org = build.organisation()
    user = build.user("provider", organisations=[org])
    result = _run(app, "remove-org", user.email, org.slug)
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.organisations == []
    assert [e.detail for e in _events(db, "user_org_remove")] == [f"user={user.id} organisation={org.id}"]
    result = _run(app, "add-org", user.email, org.slug)
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert [o.slug for o in user.organisations] == [org.slug]
    assert _events(db, "user_org_add")


def test_organisation_errors_are_clear(app, build):
    org = build.organisation()
    user = build.user("provider")
    for args, message in ((("remove-org", user.email, org.slug), "does not look after"),
                          (("add-org", user.email, "no-such-org"), "No organisation with the slug"),
                          (("remove-org", "nobody@test.example", org.slug), "No user with the email")):
        result = _run(app, *args)
        assert result.exit_code in (1, 2), result.output
        assert message in result.output, result.output
    result = _run(app, "add-org", user.email, org.slug)
    assert result.exit_code == 0
    result = _run(app, "add-org", user.email, org.slug)
    assert result.exit_code == 1 and "already looks after" in result.output


def test_deactivate_is_audited(app, build, db):
    user = build.user("spa")
    assert _run(app, "deactivate", user.email).exit_code == 0
    assert _run(app, "activate", user.email).exit_code == 0
    assert [e.detail for e in _events(db, "user_deactivate")] == [f"user={user.id}"]
    assert [e.detail for e in _events(db, "user_activate")] == [f"user={user.id}"]
