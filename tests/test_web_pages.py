"""The clerks' web page over HTTP: sign-in, its limits, CSRF, and no page without sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from mailroom.web.app import routes
from store.holds import HeldItem
from tests.support import mail
from tests.web_support import PASSWORD, Site, add_clerk, hold_a_mail, served

SECRET_SUBJECT = "Order PO-77 for the confidential project"


@contextmanager
def _site(home: Path) -> Iterator[Site]:
    with served(home, web_signin_failures_per_account=3) as running:
        add_clerk(running.runtime, "alice")
        hold_a_mail(
            running.runtime,
            mail(subject=SECRET_SUBJECT, body="Please send 100 pcs of HX-2040."),
            [("low-confidence", "the parse is unsure")],
        )
        yield running


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with _site(tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def untouched_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One site for the tests that change nothing (every request is refused)."""
    with _site(tmp_path_factory.mktemp("web")) as running:
        yield running


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the page has no CSRF token"
    return found.group(1)


def signed_in(site: Site, name: str = "alice") -> httpx.Client:
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    token = csrf_of(client.get("/signin"))
    answer = client.post("/signin", data={"csrf": token, "name": name, "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    return client


def _example(route: Route) -> str:
    path = route.path
    for name, value in (("item_id", "1"), ("mail_id", "1"), ("n", "0"), ("document_id", "1")):
        path = path.replace(f"{{{name}:int}}", value)
    return re.sub(r"\{[a-z_]+\}", "X1", path)


PROTECTED = [
    pytest.param(method, _example(route), id=f"{method} {route.path}")
    for route in routes({"orders": True})
    if isinstance(route, Route) and route.path != "/signin"
    for method in sorted(set(route.methods or ()) - {"HEAD"})
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_every_page_refuses_a_visitor_who_is_not_signed_in(untouched_site, method, path):
    site = untouched_site
    # Given a visitor with no session (but a valid CSRF token, so only sign-in is missing)
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    token = csrf_of(client.get("/signin"))

    # When they ask for the page
    answer = client.request(method, path, data={"csrf": token} if method == "POST" else None)

    # Then they are sent to sign in (GET) or refused (POST), and see nothing of the store
    if method == "GET":
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/signin?next=")
    else:
        assert answer.status_code == 403
    assert SECRET_SUBJECT not in answer.text
    with site.runtime.read() as session:
        item = session.get(HeldItem, 1)
        assert item is not None and item.assignee is None and item.status == "open"


def test_a_signed_in_clerk_sees_the_queue_and_the_item(site):
    # Given alice signed in
    client = signed_in(site)

    # When she opens the queue and the item
    queue = client.get("/queue")
    item = client.get("/items/1")

    # Then both show the held mail and why it is held
    assert queue.status_code == 200 and SECRET_SUBJECT in queue.text
    assert "low-confidence" in queue.text
    assert item.status_code == 200 and "the parse is unsure" in item.text


@pytest.mark.parametrize("token", [None, "", "0" * 64], ids=["missing", "empty", "forged"])
def test_a_form_posted_without_its_csrf_token_is_refused(site, token):
    # Given alice signed in
    client = signed_in(site)

    # When a claim is posted without the right token
    data = {} if token is None else {"csrf": token}
    answer = client.post("/items/1/claim", data=data)

    # Then it is refused and nothing changed
    assert answer.status_code == 403
    with site.runtime.read() as session:
        assert session.get(HeldItem, 1).assignee is None


def test_a_sign_in_form_without_its_csrf_token_is_refused(site):
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    client.get("/signin")

    answer = client.post("/signin", data={"name": "alice", "password": PASSWORD})

    assert answer.status_code == 403
    assert "mailroom_session" not in answer.cookies


def test_failed_sign_ins_are_limited_per_account_even_with_the_right_password(site):
    # Given three wrong passwords for alice (the limit in this test's settings)
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    token = csrf_of(client.get("/signin"))
    for _ in range(3):
        wrong = client.post("/signin", data={"csrf": token, "name": "alice", "password": "nope"})
        assert wrong.status_code == 401

    # When the right password comes next
    answer = client.post("/signin", data={"csrf": token, "name": "alice", "password": PASSWORD})

    # Then it is refused too, until the window has passed
    assert answer.status_code == 429
    assert "mailroom_session" not in answer.cookies


def test_signing_out_ends_the_session_in_the_store(site):
    # Given alice signed in, holding her session cookie
    client = signed_in(site)
    cookie = client.cookies["mailroom_session"]
    token = csrf_of(client.get("/queue"))

    # When she signs out
    client.post("/signout", data={"csrf": token})

    # Then the old cookie opens nothing any more
    stale = httpx.Client(base_url=site.url, follow_redirects=False)
    stale.cookies.set("mailroom_session", cookie)
    assert stale.get("/queue").status_code == 303


def test_the_mail_frame_and_downloads_carry_headers_that_keep_them_inert(site):
    client = signed_in(site)

    frame = client.get("/mail/1/html")
    raw = client.get("/mail/1/raw")

    policy = frame.headers["content-security-policy"]
    assert "sandbox" in policy and "script-src" not in policy and "img-src data:;" in policy
    assert raw.headers["content-disposition"].startswith("attachment;")
    assert raw.headers["x-content-type-options"] == "nosniff"


def test_english_and_chinese_labels_have_the_same_keys():
    from mailroom.web.i18n import _load

    assert set(_load("en")) == set(_load("zh"))
    # A key named like a dict method would show the method, not the text, in a template.
    assert not set(_load("en")) & set(dir(dict))
