"""Walk the app as a signed-in user: every GET route of the URL map, the links found on its
pages, and every form and query parameter found there. Shared by the fuzz and CSRF tests, so a
screen added by anyone is covered without editing a list."""
import inspect
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from flask import url_for
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from lms.users.models import Role
from tests.test_access import routes, url_args

# Who walks the app (the ids of the walking tests): an anonymous visitor, then each role.
VISITORS = {"anonymous": None, **{role.value: role for role in Role}}
PER_ENDPOINT = 3  # distinct URLs visited per endpoint (e.g. the move page of three stages)
SKIP_ENDPOINTS = {"auth.logout", "static"}
ARG_NAME = re.compile(r"""(?:request\.args\.get|arg_int|arg_choice|args\.get)\(\s*["'](\w+)["']""")


@dataclass
class Form:
    action: str                 # path with query string, as the browser would post it
    method: str
    enctype: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> candidate values
    kinds: dict[str, str] = field(default_factory=dict)          # name -> input type / tag

    def signature(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))


class Page(HTMLParser):
    """The forms, same-site links and injected markup of one HTML page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.links, self.injected = url, [], [], []
        self.status = 200  # what the walk's GET answered
        self._form: Form | None = None
        self._select: str | None = None
        self._script_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._check_injection(tag, attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(urljoin(self.url, attributes["href"]))
        elif tag == "form":
            action = urljoin(self.url, attributes.get("action") or self.url)
            self._form = Form(action, (attributes.get("method") or "get").lower(),
                              attributes.get("enctype") or "application/x-www-form-urlencoded")
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select", "button") and self._form is not None:
            self._add_field(tag, attributes)
        elif tag == "option" and self._select and self._form is not None:
            self._form.fields[self._select].append(attributes.get("value", ""))
        elif tag == "script":
            self._script_depth += 1

    def _add_field(self, tag: str, attributes: dict) -> None:
        name = attributes.get("name")
        if not name:
            return
        kind = attributes.get("type", "text") if tag == "input" else tag
        values = self._form.fields.setdefault(name, [])
        self._form.kinds[name] = kind
        if tag == "select":
            self._select = name
        elif attributes.get("value") is not None:
            values.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "script":
            self._script_depth -= 1

    def handle_data(self, data):
        if self._script_depth and "fzxss" in data:
            self.injected.append(("script body", data[:80]))

    def _check_injection(self, tag, attrs):
        """Templates carry no handlers (tests/test_security_headers.py): any is injected."""
        for name, value in attrs:
            if name.startswith("on") or "fzxss" in name or tag.startswith("fzxss"):
                self.injected.append((tag, name, (value or "")[:80]))
            if name in ("href", "src", "action", "formaction") and value and \
                    value.strip().lower().startswith("javascript:"):
                self.injected.append((tag, name, value[:80]))


def parse(url: str, html: str) -> Page:
    page = Page(url)
    page.feed(html)
    page.close()
    return page


def endpoint_of(app, url: str) -> tuple[str, dict] | None:
    """The endpoint a same-site GET URL maps to, or None."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    try:
        return app.url_map.bind("localhost").match(parts.path, method="GET")
    except (NotFound, MethodNotAllowed, RequestRedirect):
        return None


def start_urls(app, world) -> list[str]:
    """One URL per GET route of the URL map, with objects of the user's own center."""
    urls = []
    with app.test_request_context():
        for rule in routes(app):
            if "GET" in rule.methods and rule.endpoint not in SKIP_ENDPOINTS:
                urls.append(url_for(rule.endpoint, **url_args(rule, world, own=True)))
    return urls


def crawl(app, client, world) -> dict[str, Page]:
    """GET every route and the same-site links found on the pages (bounded per endpoint)."""
    pages, queue, seen = {}, start_urls(app, world), {}
    while queue:
        url = queue.pop(0)
        match = endpoint_of(app, url)
        if url in pages or match is None or match[0] in SKIP_ENDPOINTS:
            continue
        if seen.setdefault(match[0], 0) >= PER_ENDPOINT:
            continue
        seen[match[0]] += 1
        # Closed at once: a streamed download (CSV) left open is closed by the garbage
        # collector later, popping its request context over another one.
        with client.get(url) as response:
            assert response.status_code < 500, (url, response.status_code)
            html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        pages[url] = page = parse(url, html)
        page.status = response.status_code
        queue.extend(link.split("#")[0] for link in page.links)
    return pages


def query_names(app, endpoint: str, page: Page) -> set[str]:
    """Query parameters a page reads: named in its view's module, on its links, in GET forms."""
    view = app.view_functions[endpoint]
    source = inspect.getsource(sys.modules[view.__module__])
    names = set(ARG_NAME.findall(source)) | ({"page"} if "page_arg()" in source else set())
    path = urlsplit(page.url).path
    for link in page.links:
        if urlsplit(link).path == path:
            names |= {name for name, _value in parse_qsl(urlsplit(link).query)}
    for form in page.forms:
        if form.method == "get":
            names |= set(form.fields)
    return names


def post_forms(pages: dict[str, Page]) -> list[Form]:
    """Every distinct POST form found, except signing out (it would end the walk)."""
    forms = {}
    for page in pages.values():
        for form in page.forms:
            if form.method == "post" and not urlsplit(form.action).path.startswith("/auth/logout"):
                forms.setdefault(form.signature(), form)
    return list(forms.values())
