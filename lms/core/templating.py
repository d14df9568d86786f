"""Template filters and globals: locale-aware dates and numbers, the language and the path.

Globals that belong to a domain (who may see what, voucher codes) are registered by it."""
from flask import Flask, request
from flask_babel import get_locale

from lms.core.formats import local_date, local_datetime, local_number


def register(app: Flask) -> None:
    app.add_template_filter(local_date, "date")
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(local_number, "number")

    @app.context_processor
    def globals_for_templates() -> dict:
        locale = get_locale()
        return {
            "current_language": locale.language if locale else "uk",
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
