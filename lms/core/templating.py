"""Template filters and globals: locale-aware dates and numbers, the navigation."""
from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from lms.access import allowed
from lms.certifications.vouchers import shown_code
from lms.core.formats import local_date, local_datetime, local_number
from lms.users.models import Role


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
            "Role": Role,
            "voucher_code": lambda voucher: shown_code(voucher, current_user),
            "allowed": allowed,
        }
