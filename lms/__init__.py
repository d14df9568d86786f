"""Resource Center LMS: the application factory, built from named steps and doing no I/O."""
import gc
import os
from urllib.parse import urlsplit

from flask import Flask

from config import CONFIGS


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app for `config_name` (default: $LMS_CONFIG, else production: an entry point
    started without it must not run with development's debug mode and keys)."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=True)
    configure(app, config_name or os.environ.get("LMS_CONFIG") or "production", overrides)
    trust_proxies(app)
    register_request_guards(app)  # before any extension's hook reads a request body
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_transactions(app)  # after every other after_request hook: it must run first
    register_commands(app)
    return app


def freeze_startup_objects() -> None:
    """Move everything alive now (modules, the app, the SQLAlchemy metadata) out of the garbage
    collector's reach: it lives as long as the process, yet every full collection walked it.
    A request that allocates heavily (a 40 × 40 gradebook save) spent a quarter of its time
    there. Called once after start-up (lms/wsgi.py); in gunicorn's master with --preload it
    also keeps these pages shared with the workers."""
    gc.collect()
    gc.freeze()


def configure(app: Flask, config_name: str, overrides: dict) -> None:
    config = CONFIGS[config_name]
    app.config.from_object(config)
    app.config.update(overrides)
    if hasattr(config, "validate"):
        config.validate(app.config)
    if app.config["TRUSTED_HOSTS"] is None:  # Flask defines the key (as None): no setdefault
        host = urlsplit(app.config["PUBLIC_URL"]).hostname
        app.config["TRUSTED_HOSTS"] = [host, *app.config["EXTRA_TRUSTED_HOSTS"]]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "lms.sqlite")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiler spent 6.7 s of a 7.2 s donor report compiling plans for
        # statements that run in 0.5 s (EXPLAIN ANALYZE in benchmarks/output/explain.md); short report and page
        # queries never repay it.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c jit=off"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = os.path.join(app.root_path, "translations")


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address from X-Forwarded-For (the
    throttles and the audit log need it) and the scheme from X-Forwarded-Proto (https links in
    e-mails). Proxies append to the first header but set the second, so it has one value; the
    host is left alone, so a forged X-Forwarded-Host cannot redirect a reset link."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=1)


def register_request_guards(app: Flask) -> None:
    """Refuse an untrusted Host header and give a route its own body limit before anything
    (CSRF, the role gates) reads the request; input is checked for NUL where it is parsed."""
    from lms.core.security import CheckedRequest, apply_body_limit, refuse_untrusted_host

    app.request_class = CheckedRequest
    app.before_request(refuse_untrusted_host)
    app.before_request(apply_body_limit)


def register_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l
    from sqlalchemy import event

    from lms import models  # noqa: F401  (every table on the metadata)
    from lms.auth import throttle
    from lms.auth.services import load_session_user
    from lms.core.extensions import (
        babel,
        csrf,
        db,
        enforce_sqlite_foreign_keys,
        limiter,
        login_manager,
        migrate,
    )
    from lms.core.i18n import select_locale

    db.init_app(app)
    with app.app_context():  # binds a listener; opens no connection
        event.listen(db.engine, "connect", enforce_sqlite_foreign_keys)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    throttle.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)


def register_blueprints(app: Flask) -> None:
    from lms import access, api
    from lms.core.views import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any rule: <int:…> is a 32-bit id
    from lms.attendance.routes import bp as attendance_bp
    from lms.audit.routes import bp as audit_bp
    from lms.auth.routes import bp as auth_bp
    from lms.catalog import bp as catalog_bp
    from lms.catalog import routes  # noqa: F401  (its views join catalog_bp)
    from lms.centers.routes import bp as centers_bp
    from lms.certifications.routes import paths_bp, pursuits_bp
    from lms.cohorts.routes import bp as cohorts_bp
    from lms.dashboard.routes import bp as dashboard_bp
    from lms.evidence.routes import bp as evidence_bp
    from lms.home.routes import bp as home_bp
    from lms.imports.routes import bp as imports_bp
    from lms.learning.routes import bp as learning_bp
    from lms.outline import routes as outline_routes  # noqa: F401  (so do these)
    from lms.people.routes import bp as people_bp
    from lms.people.student_routes import bp as students_bp
    from lms.progress.routes import bp as gradebook_bp
    from lms.reports.routes import bp as reports_bp
    from lms.tokens.routes import bp as tokens_bp
    from lms.users.routes import bp as language_bp
    from lms.vouchers.routes import bp as vouchers_bp

    access.init_app(app)
    app.register_blueprint(people_bp)
    for blueprint in (auth_bp, home_bp, cohorts_bp, students_bp, paths_bp, pursuits_bp,
                      evidence_bp, learning_bp, gradebook_bp, attendance_bp, imports_bp, language_bp,
                      tokens_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(vouchers_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(reports_bp)
    api.init_app(app)
    for blueprint in (catalog_bp, centers_bp):  # the admin's catalog
        app.register_blueprint(blueprint)
    app.register_blueprint(dashboard_bp)


def register_errorhandlers(app: Flask) -> None:
    from lms.core.errors import register_errorhandlers as register

    register(app)


def register_security_headers(app: Flask) -> None:
    from lms.core.security import add_security_headers, refuse_nul_characters

    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)


def register_template_helpers(app: Flask) -> None:
    from lms.core.templating import register
    from lms.home import navigation

    register(app)
    navigation.register(app)


def register_transactions(app: Flask) -> None:
    from lms.core.transactions import register_transactions as register

    register(app)


def register_commands(app: Flask) -> None:
    from lms.cli import lms_cli

    app.cli.add_command(lms_cli)
