"""A ticket system's receipt of our mail is an automatic reply, and a request for an invoice
is neither an order nor a question about one. Each mail was written, with the intent a clerk
would read, before the parser ran on it."""

from __future__ import annotations

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from tests.golden import fixture_catalog
from tests.support import mail


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("acknowledgements"))


@pytest.mark.parametrize(
    ("sender", "subject", "body"),
    [
        (
            "support@nordtek.zendesk.com",
            "[Nordtek Einkauf] Re: Order confirmation SO-2026-00471",
            "##- Please type your reply above this line -##\n\nYour request (88412) has been "
            "received and is being reviewed by our purchasing team.\n\nTo add additional "
            "comments, reply to this email.",
        ),
        (
            "helpdesk@acme-industrial.freshdesk.com",
            "Ticket Received - Invoice for PO 20418",
            "Dear Kaiyuan Parts,\n\nWe would like to acknowledge that we have received your "
            "request and a ticket has been created. A support representative will be reviewing "
            "your request and will send you a personal response (usually within 24 hours).",
        ),
        (
            "service@jinlong-auto.com.cn",
            "回复：订单 SO-2026-00466 发货通知",
            "您好，我们已收到您的邮件，工单号 #4521 已创建，采购部同事会尽快处理。"
            "此邮件为系统自动发送。",
        ),
    ],
)
def test_a_ticket_systems_receipt_of_our_mail_is_an_automatic_reply(
    catalog: Catalog, sender: str, subject: str, body: str
) -> None:
    raw = mail(sender, subject, body, Auto_Submitted="auto-generated")

    assert parse_mail(raw, catalog).intent == "auto_reply"


def test_a_ticket_system_on_the_customers_site_answers_for_that_customer(
    catalog: Catalog,
) -> None:
    raw = mail(
        "jira@southerncross.atlassian.net",
        "[JIRA] (PUR-118) Shipment advice SO-2026-00455",
        "Your request PUR-118 has been received. You do not need to resend your message.",
        Auto_Submitted="auto-generated",
        Reply_To="purchasing-desk@southerncross-elec.com.au",
    )

    parsed = parse_mail(raw, catalog)

    assert (parsed.intent, parsed.customer_id) == ("auto_reply", "C-SOUTHERN")
    assert parsed.order_number == "SO-2026-00455"


@pytest.mark.parametrize(
    ("sender", "subject", "body"),
    [
        (
            "accounts@brightonlighting.co.uk",
            "Invoice for SO-2026-00480",
            "Hello, the goods for SO-2026-00480 arrived fine. Could you please issue the "
            "commercial invoice to accounts@brightonlighting.co.uk? We need it to close the "
            "month.\n\nThanks, Accounts",
        ),
        (
            "caiwu@jinlong-auto.com.cn",
            "开票",
            "您好，订单 SO-2026-00470 的货已收齐，麻烦开具增值税专用发票，开票信息见下：\n"
            "名称：金龙汽车配件有限公司\n税号：91440300MA5F0X1234",
        ),
    ],
)
def test_a_request_for_an_invoice_is_other(
    catalog: Catalog, sender: str, subject: str, body: str
) -> None:
    assert parse_mail(mail(sender, subject, body), catalog).intent == "other"
