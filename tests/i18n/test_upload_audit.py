"""A .po upload is in the admin's audit log: who, which language, how many translations changed."""
import io

from sqlalchemy import select

from app.core.audit import AuditEvent
from app.extensions import db as _db


def test_an_upload_that_changes_translations_is_audited(tools):
    app, client, user = tools
    po = client.get("/translate/pl/download").data
    good = po.replace("Znajdź".encode(), b"Odszukaj", 1)
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(good), "pl.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    bad = po.replace(b'"Language: pl', b'"Language: de')
    assert client.post("/translate/pl/upload", data={"po": (io.BytesIO(bad), "pl.po")},
                       content_type="multipart/form-data").status_code == 400
    with app.app_context():
        events = _db.session.execute(select(AuditEvent).where(AuditEvent.action == "translation_upload")
                                     ).scalars().all()
        assert [(e.user_id, e.record, e.detail) for e in events] == [(user.id, "pl", "changed=1")]
