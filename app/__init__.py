"""Hidden Gems: a community directory and self-referral site."""
import logging
from pathlib import Path

from flask import Flask, request
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config, production_problems
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(Config().as_dict())
    if config:
        app.config.update(config)
    problems = production_problems(app.config)
    if problems:
        raise RuntimeError(problems)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)
    from app.core import security
    app.wsgi_app = security.TrustedHosts(app.wsgi_app, app.config)
    if app.config.get("PROXY_COUNT"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
    app.before_request(security.refuse_untrusted_host)  # first, so nothing else runs for a forged Host
    security.mask_tokens_in_access_logs()

    app.jinja_loader = ChoiceLoader([
        PackageLoader("app"),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
        }),
    ])
    from app.core import requests
    requests.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from app.i18n.locale import remember_choice, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: app.config["BABEL_DEFAULT_TIMEZONE"])
    limiter.init_app(app)
    from app.core import dataversion, pagecache
    dataversion.init_app(app)  # first: the counters are read afresh by each request
    from app.i18n.catalogues import reload_if_changed
    app.before_request(reload_if_changed)
    pagecache.init_app(app)  # here: after the hooks above, and its after_request runs after those below
    app.after_request(remember_choice)
    app.after_request(_security_headers)

    _import_models()
    _register_blueprints(app)
    from app.core import errors
    errors.init_app(app)

    from app import cli
    from app.core import assets, mail, templating
    from app.directory import templating as directory_templating
    from app.i18n import templating as i18n_templating
    templating.init_app(app)
    assets.init_app(app)
    i18n_templating.init_app(app)
    directory_templating.init_app(app)
    mail.init_app(app)
    cli.init_app(app)

    from app.directory import rendered, search
    search.init_app(app)
    rendered.init_app(app)
    from app.i18n import overrides
    overrides.init_app(app)
    pagecache.allow("directory.home", "directory.categories", "directory.category", "directory.service",
                    "directory.search_page", "whatson.whats_on", "site_pages.show")
    from app.core import bench
    bench.init_app(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _import_models():
    # Imported for their side effect of registering tables with the metadata.
    from app.accounts import models as _accounts  # noqa: F401
    from app.core import audit as _audit  # noqa: F401
    from app.core import dataversion as _dataversion  # noqa: F401
    from app.core import jobs as _jobs  # noqa: F401
    from app.core import mail as _mail  # noqa: F401
    from app.directory import models as _directory  # noqa: F401
    from app.i18n import models as _i18n  # noqa: F401
    from app.selfreferral import models as _selfreferral  # noqa: F401


def _register_blueprints(app):
    from app.accounts.views import admin_bp
    from app.accounts.views import bp as accounts_bp
    from app.directory.csv import bp as csv_bp
    from app.directory.manage import holidays as _holiday_routes  # noqa: F401  (routes on manage_bp)
    from app.directory.manage import problems as _problem_routes  # noqa: F401  (routes on manage_bp)
    from app.directory.manage import review_views as _review_routes  # noqa: F401  (routes on manage_bp)
    from app.directory.manage.site_pages import pages_bp
    from app.directory.manage.views import manage_bp
    from app.directory.oruk import bp as api_bp
    from app.directory.provider import drafts as _draft_routes  # noqa: F401  (routes on provider_bp)
    from app.directory.provider.listing_check import bp as listing_check_bp
    from app.directory.provider.onboarding_views import onboarding_bp
    from app.directory.provider.views import provider_bp
    from app.directory.public.site_pages import bp as site_pages_bp
    from app.directory.public.views import bp as directory_bp
    from app.directory.public.whatson import bp as whatson_bp
    from app.directory.synonyms_views import bp as search_synonyms_bp
    from app.directory.translations_views import bp as listing_translations_bp
    from app.i18n.views import bp as i18n_bp
    from app.selfreferral.duty import check_settings
    from app.selfreferral.views.partners import partners_bp
    from app.selfreferral.views.refer import bp as selfreferral_bp
    from app.selfreferral.views.reports import bp as reports_bp
    from app.selfreferral.views.spa import spa_bp
    check_settings(app.config)  # unreadable opening hours stop the start, not an urgent referral's page

    for blueprint in (directory_bp, provider_bp, manage_bp, onboarding_bp, accounts_bp, admin_bp, i18n_bp,
                      selfreferral_bp, spa_bp, partners_bp, reports_bp, csv_bp, listing_check_bp, whatson_bp,
                      listing_translations_bp, site_pages_bp, pages_bp, api_bp, search_synonyms_bp):
        app.register_blueprint(blueprint)


def _security_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Only over HTTPS: behind a proxy, request.is_secure comes from X-Forwarded-Proto only when PROXY_COUNT trusts it.
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
