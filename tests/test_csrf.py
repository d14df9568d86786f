"""CSRF: every POST form found on every page carries a token, and every POST route of the URL
map refuses a request without one (400), whoever sends it."""
import pytest
from flask import url_for

from lms import create_app
from lms.core.extensions import csrf
from tests import crawl
from tests.factories import signed_in, user_of
from tests.test_access import build_access_world, routes, url_args

# One access world for the module: what a test writes is rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")
SHARED_WORLD = build_access_world


@pytest.fixture
def csrf_app(database_url):
    return create_app("test", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)


def exempt(app, endpoint: str) -> bool:
    """Views exempted from CSRF (token-authenticated JSON API) are not cookie-authenticated."""
    view = app.view_functions[endpoint]
    blueprints = {getattr(bp, "name", bp) for bp in csrf._exempt_blueprints}  # objects or names
    return (f"{view.__module__}.{view.__name__}" in csrf._exempt_views
            or endpoint.partition(".")[0] in blueprints)


@pytest.mark.parametrize("role", crawl.VISITORS)
def test_every_post_form_carries_a_token(csrf_app, world, role):
    user = user_of(world, crawl.VISITORS[role])
    client = signed_in(csrf_app, user) if user else csrf_app.test_client()
    pages = crawl.crawl(csrf_app, client, world)
    forms = [form for page in pages.values() for form in page.forms if form.method == "post"]
    assert forms
    for form in forms:
        # Prefixed forms name it e.g. withdraw-1-csrf_token; Flask-WTF accepts any *csrf_token.
        tokens = [v for name, values in form.fields.items() if name.endswith("csrf_token")
                  for v in values]
        assert tokens and all(tokens), f"POST form to {form.action} has no CSRF token"


def test_every_post_route_refuses_a_request_without_a_token(csrf_app, world):
    client = signed_in(csrf_app, world.admin)  # allowed everywhere: only CSRF can refuse
    checked = 0
    for rule in routes(csrf_app):
        if "POST" not in rule.methods or exempt(csrf_app, rule.endpoint):
            continue
        with csrf_app.test_request_context():
            url = url_for(rule.endpoint, **url_args(rule, world, own=True))
        response = client.post(url, data={"next": "/"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        checked += 1
    assert checked >= 10
    assert client.get("/").status_code in (200, 302)  # still signed in: nothing was done
