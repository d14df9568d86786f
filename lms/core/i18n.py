"""Language choice: the user's preference, else the session's, else Ukrainian."""
from flask import (
    current_app,
    has_request_context,
    session,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import escape


def _escaped_html(self: LazyString) -> str:
    return escape(str(self))


# Flask-Babel's lazy strings declare themselves safe HTML (`__html__` returns the raw text), so
# Jinja would print a lazy message carrying a user's value, e.g. a refusal that names an uploaded
# cell or a provider, without escaping it. No message of ours contains markup: escape them all.
LazyString.__html__ = _escaped_html


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and workers speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
