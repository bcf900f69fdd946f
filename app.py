"""Application factory: configuration → extensions → blueprints → errors → CLI."""
from __future__ import annotations

import os

from flask import Flask, current_app, g
from flask_babel import lazy_gettext as _l

from core import config as core_config
from core import errors, i18n, security
from core.extensions import babel, bootstrap, cache, compress, csrf, db, limiter, login_manager, migrate, talisman


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config)
    register_observability(app)  # first: the request id and timing wrap every other hook
    register_extensions(app)
    register_blueprints(app)
    errors.register(app)
    register_cli(app)
    register_template_helpers(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    from core.integers import BoundedIntConverter

    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    app.config.update(core_config.load(app.instance_path))
    app.config.update(overrides or {})
    core_config.make_instance_private(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"])
    app.url_map.converters["int"] = BoundedIntConverter  # before any route: ids past 2**63 - 1 are 404
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_observability(app: Flask) -> None:
    from core import logs, metrics

    logs.init_app(app)  # request ids, JSON logs
    metrics.init_app(app)  # /metrics, request counts and latencies


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_translations(app, babel)
    limiter.init_app(app)
    bootstrap.init_app(app)
    cache.init_app(app)
    app.config.update(COMPRESS_CACHE_BACKEND=CompressedAssets, COMPRESS_CACHE_KEY=compressed_asset_key)
    compress.init_app(app)
    app.after_request(compress_assets)
    security.init_security(app, talisman)


class CompressedAssets(dict):
    """The compressed static files, by path and version: as many entries as files and encodings."""

    def set(self, key: str, value: bytes) -> None:
        self[key] = value


def compressed_asset_key(request) -> str:
    return f"{request.path}:{g.get('asset_etag')}"


def compress_assets(response):
    """Flask-Compress on the types it is configured for (static files): each file compressed once per
    version (its ETag) and kept (CompressedAssets). Every other answer is left as it is, without
    the `Vary: Accept-Encoding` that the extension adds to all of them."""
    if response.mimetype not in current_app.config["COMPRESS_MIMETYPES"]:
        return response
    if response.direct_passthrough:  # a file: read it, so that it is compressed whole, not as a stream
        response.direct_passthrough = False
        response.get_data()
    g.asset_etag = response.get_etag()[0]
    return compress.after_request(response)


def register_blueprints(app: Flask) -> None:
    import accounts
    import chapters
    import conversations
    import credentials
    import events
    import learning
    import mentoring
    import privacy
    import projects
    import search
    import sponsors
    from core import views as core_views

    for package in (core_views, accounts, chapters, projects, sponsors, credentials, learning, events, privacy,
                    search, conversations, mentoring):
        app.register_blueprint(package.bp)
    app.register_blueprint(credentials.issuer.well_known)  # /.well-known/did.json and jwks.json
    import api  # on top of every domain package; nothing imports it

    api.init_app(app)  # /api/v1/ (flask-smorest), /api/v1/openapi.json, /api/docs and /me/tokens
    import opendata  # reads projects and chapters through their queries
    import webhooks  # listens to core.announce; reads projects, applications, milestones and credentials

    for package in (webhooks, opendata):
        app.register_blueprint(package.bp)


def register_cli(app: Flask) -> None:
    from accounts.cli import create_admin
    from core.cli import seed_demo
    from core.scale import make_command as seed_scale_command
    from core.backup import COMMANDS as BACKUP_COMMANDS
    from core.worker import COMMANDS as JOB_COMMANDS
    from opendata.tasks import open_data_command

    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_scale_command())  # after register_blueprints: packages registered their generators
    for command in JOB_COMMANDS + BACKUP_COMMANDS:
        app.cli.add_command(command)
    app.cli.add_command(open_data_command)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, get_locale

    from core.authz import can
    from core.forms import country_name
    from core.workflow import state_label
    from projects.sdg import SDG_NAMES, sdg_titles

    app.jinja_env.globals.update(can=can, country_name=country_name, get_locale=get_locale, state_label=state_label,
                                 sdg_name=lambda number: SDG_NAMES[number], sdg_titles=sdg_titles,
                                 LANGUAGES=lambda: app.config["LANGUAGES"])
    from core.i18n import file_size

    app.jinja_env.filters.update(date=format_date, datetime=format_datetime, file_size=file_size)
