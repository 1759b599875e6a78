"""gunicorn settings for serving the site (`make serve`, or `gunicorn -c gunicorn.conf.py`).

Every value can be changed from the environment, so one file serves a laptop and a borough's servers.
Reload code and settings without dropping a request: `kill -HUP $(cat instance/gunicorn.pid)`.
"""
import multiprocessing
import os
from pathlib import Path

wsgi_app = "wsgi:app"
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Sync workers: a page is short database work, so (2 x cores) + 1 keeps every core busy while some wait.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# A request still running after this is killed and its worker replaced; a slow client cannot hold one forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On HUP or TERM, workers finish what they are doing for up to this long before they are stopped.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Replace each worker after a number of requests, staggered, so a slow leak can never build up.
max_requests = 2000
max_requests_jitter = 200
# Without preloading, HUP starts new workers that import the new code.
preload_app = False

pidfile = os.environ.get("GUNICORN_PIDFILE", str(Path(__file__).resolve().parent / "instance" / "gunicorn.pid"))
Path(pidfile).parent.mkdir(parents=True, exist_ok=True)

# Which requests came over HTTPS is the site's to decide (ProxyFix, trusting exactly PROXY_COUNT proxies); gunicorn
# would otherwise believe X-Forwarded-Proto from any process on this machine.
secure_scheme_headers = {}

# gunicorn's control socket is one path for every gunicorn on a machine; nothing here uses it.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# The path without its query string (%(U)s) and no Referer: e-mailed links carry tokens, searches carry
# what people typed. The site also masks tokens in paths (app/core/security.py).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
