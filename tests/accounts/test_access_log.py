"""Access logs never show the tokens in e-mailed links (reset, invitation, "still correct"), nor query strings."""
import contextlib
import logging
import urllib.error
import urllib.request

import pytest

TOKEN = "eyJ1IjoxLCJoIjoiYWJjIn0.aw6fXg.SECRETSIGNATURE"


def _get(url):
    with contextlib.suppress(urllib.error.HTTPError):  # a bad token gets an error page: only the log matters
        urllib.request.urlopen(url, timeout=10).close()


@pytest.mark.parametrize("path", [f"/reset-password/{TOKEN}", f"/invitations/{TOKEN}", f"/listing-check/{TOKEN}",
                                  f"/listing-check/{TOKEN}?from=email", f"/sign-in?next=/reset-password/{TOKEN}"])
def test_the_development_servers_access_log_masks_tokens(live_server, caplog, path):
    caplog.set_level(logging.INFO, logger="werkzeug")
    _get(live_server + path)
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert lines, "the request was not logged"
    assert not any("SECRETSIGNATURE" in line or "eyJ1" in line for line in lines), lines
    assert any(path.split("?")[0].split(TOKEN)[0] in line for line in lines), lines


def test_gunicorns_access_log_masks_tokens(app, caplog):
    from app.core.security import mask_tokens_in_access_logs
    mask_tokens_in_access_logs()
    caplog.set_level(logging.INFO, logger="gunicorn.access")
    # gunicorn logs its access line with a dict of atoms as the argument.
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s', {
        "h": "127.0.0.1", "r": f"POST /invitations/{TOKEN} HTTP/1.1", "s": "302"})
    message = caplog.records[-1].getMessage()
    assert message == '127.0.0.1 "POST /invitations/[token] HTTP/1.1" 302'


def test_other_log_lines_are_untouched(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('"%s" %s %s', "GET /search HTTP/1.1", "200", "-")
    assert caplog.records[-1].getMessage() == '"GET /search HTTP/1.1" 200 -'
