"""The clerks' page in a real headless Chromium (Debian's, driven by Playwright).

A clerk signs in, claims an item, answers the customer, corrects a line and accepts; the
reply goes out through the SMTP sink; a second clerk sees the claim; a mail's script runs
nothing and its remote images load nothing. Screenshots land in artifacts/.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from store.holds import HeldItem, history
from store.mail import Mail
from tests.support import mail, wait_until
from tests.web_support import PASSWORD, Site, add_clerk, add_customer, hold_a_mail, served

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def sign_in(browser: Any, site: Site, name: str) -> Any:
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{site.url}/queue")
    assert "/signin" in page.url, "the queue was shown without sign-in"
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{site.url}/queue")
    return page


def test_a_clerk_claims_answers_corrects_and_accepts_while_another_sees_the_claim(
    browser, smtp_sink, tmp_path
):
    with served(tmp_path, smtp_url=smtp_sink.url) as site:
        # Given a customer's order mail held for a clerk, and two clerks
        runtime = site.runtime
        add_customer(runtime, "NW", "Northwind Traders", "laura@northwind.example")
        raw = mail(
            subject="Order PO-1001",
            body="Hello,\n\nPurchase order PO-1001\n\nHX-2040  100 pcs  12.50 USD\n\nLaura",
        )
        item_id = hold_a_mail(runtime, raw, [("low-confidence", "the SKU could not be matched")])
        add_clerk(runtime, "alice")
        add_clerk(runtime, "bob")
        with runtime.read() as session:
            original = session.get(Mail, 1)
            lines_before = len(original.parsed["lines"])
            message_id = original.message_id

        # When alice claims it from the queue
        alice = sign_in(browser, site, "alice")
        alice.click(f"tr[data-item='{item_id}'] button")
        alice.wait_for_url(f"{site.url}/items/{item_id}")
        assert alice.is_visible("text=You are working on this item.")

        # Then bob sees the claim in the queue and on the item, and cannot act on it
        bob = sign_in(browser, site, "bob")
        assert bob.inner_text(f"tr[data-item='{item_id}'] td.assignee").strip() == "alice"
        bob.screenshot(path=str(_artifact("queue.png")), full_page=True)
        bob.goto(f"{site.url}/items/{item_id}")
        assert "alice" in bob.inner_text("#claimed-by-other")
        assert bob.is_disabled("#accept")

        # When alice answers the customer with the prefilled reply, edited
        alice.fill(
            "textarea[name=text]",
            alice.input_value("textarea[name=text]").replace(
                "\n\n\n\n", "\n\nWe will ship 120 pcs of HX-2040 next week.\n\n"
            ),
        )
        alice.click("#send-reply")
        alice.wait_for_selector("text=is on its way")

        # Then the reply goes out through the SMTP sink, threaded, written by a person
        sent = smtp_sink.wait_for(1, timeout=10)[0]
        assert sent["To"] == "laura@northwind.example"
        assert sent["In-Reply-To"] == f"<{message_id}>"
        assert sent["Auto-Submitted"] is None
        assert "We will ship 120 pcs of HX-2040" in sent.get_body(("plain",)).get_content()

        # When she corrects the first line and accepts
        alice.fill("input[name='line-0-sku']", "HX-2040")
        alice.fill("input[name='line-0-quantity']", "120")
        alice.screenshot(path=str(_artifact("item.png")), full_page=True)
        alice.click("#accept")
        alice.wait_for_url(f"{site.url}/queue")

        # Then the item is accepted by her with the corrected line, and the history says so
        with runtime.read() as session:
            item = session.get(HeldItem, item_id)
            parsed = session.get(Mail, 1).parsed
            actions = [(e.action, e.actor) for e in history(session, item_id)]
        assert (item.status, item.resolved_by) == ("accepted", "alice")
        assert parsed["lines"][0]["sku"] == "HX-2040" and parsed["lines"][0]["quantity"] == 120
        assert len(parsed["lines"]) == max(lines_before, 1)
        assert parsed["corrected_by"] == "alice"
        for step in ("claimed", "replied", "accepted"):
            assert (step, "alice") in actions
        assert "Item 1 accepted." in alice.inner_text(".flash")


class _Recorder(BaseHTTPRequestHandler):
    """A stand-in for the internet: it only notes which paths were asked for."""

    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def outside() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    thread.join()


def hostile_mail(remote: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "mallory@evil.example"
    msg["To"] = "orders@mailroom.example"
    msg["Subject"] = "Invoice attached"
    msg["Message-ID"] = make_msgid(domain="evil.example")
    msg.set_content("Please see the HTML version.")
    msg.add_alternative(
        f"""<html><body><p id="greeting">Hello from the mail</p>
        <script>fetch("{remote}/script-ran"); parent.document.title = "pwned";</script>
        <img src="{remote}/pixel.gif" alt="tracker">
        <img src="x" onerror="fetch('{remote}/onerror-ran')">
        <a href="javascript:fetch('{remote}/link-ran')">click</a>
        </body></html>""",
        subtype="html",
    )
    return msg.as_bytes()


def test_a_mail_with_script_and_remote_images_runs_nothing_and_loads_nothing(
    browser, outside, tmp_path
):
    remote, hits = outside
    with served(tmp_path) as site:
        # Given a held mail whose HTML carries script, handlers and a remote image
        item_id = hold_a_mail(site.runtime, hostile_mail(remote), [("other", "unknown sender")])
        add_clerk(site.runtime, "alice")
        alice = sign_in(browser, site, "alice")
        finished: list[str] = []
        blocked: list[tuple[str, str]] = []
        dialogs: list[str] = []
        alice.on("requestfinished", lambda request: finished.append(request.url))
        alice.on("requestfailed", lambda r: blocked.append((r.url, r.failure or "")))
        alice.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        # When she opens the item and the mail's HTML is shown
        alice.goto(f"{site.url}/items/{item_id}")
        frame = alice.frame_locator("iframe.mailhtml")
        frame.locator("text=Hello from the mail").wait_for()
        title = alice.title()

        # Then nothing ran and nothing was fetched from outside: the browser itself blocked
        # the image (the policy of the frame: "csp"), and the script never existed in it
        assert hits == []
        assert not [url for url in finished if url.startswith(remote)]
        assert all("csp" in why.lower() for url, why in blocked if url.startswith(remote))
        assert "pwned" not in title and dialogs == []

        # When she asks for the remote images
        alice.click("#load-images")
        frame.locator("text=Hello from the mail").wait_for()
        wait_until(lambda: "/pixel.gif" in hits, timeout=10, what="the remote image")

        # Then the image loads, and still no script ran
        assert all(not hit.endswith("-ran") for hit in hits)
        assert "pwned" not in alice.title()


def test_a_form_stripped_of_its_csrf_token_is_refused_and_the_page_reads_in_chinese(
    browser, tmp_path
):
    with served(tmp_path) as site:
        # Given alice on an item page whose forms lost their CSRF token
        item_id = hold_a_mail(site.runtime, mail(), [("low-confidence", "the parse is unsure")])
        add_clerk(site.runtime, "alice")
        alice = sign_in(browser, site, "alice")
        alice.goto(f"{site.url}/items/{item_id}")
        alice.evaluate("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")

        # When she claims the item
        with alice.expect_navigation() as navigation:
            alice.click("#claim button[type=submit]")

        # Then the post is refused and the item stays unclaimed
        assert navigation.value.status == 403
        with site.runtime.read() as session:
            assert session.get(HeldItem, item_id).assignee is None

        # When she switches the interface to Chinese, the queue reads in Chinese
        alice.goto(f"{site.url}/queue")
        alice.click("header form[action='/language'] button")
        alice.wait_for_selector("text=待处理事项")
        alice.set_viewport_size({"width": 820, "height": 1100})  # a tablet held upright
        alice.screenshot(path=str(_artifact("queue-zh-tablet.png")), full_page=True)


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
