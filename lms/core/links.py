"""Links that leave a request: password-reset and invitation mails today; calendar feeds, QR
codes, badges and links sent from commands later. Each is built from the configured PUBLIC_URL,
never from the request's Host header (a forged one would otherwise carry a reset token to
another site), so the same call also works where there is no request at all."""
from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` under PUBLIC_URL (its scheme, host and any path)."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
