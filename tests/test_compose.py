"""Composing replies: headers that thread, mark us automatic, fold Chinese and travel by SMTP."""

from __future__ import annotations

import email
from email import policy
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from typing import cast

from mailroom.replies.compose import SMTP_COMPAT, Document, Thread, compose, reply_subject_prefix
from mailroom.replies.render import render

LONG_SUBJECT = "询价：六角螺栓 HX-2040 和 6204 轴承的报价，请尽快回复，谢谢您的帮助与支持"


def _rendered(language: str, subject: str):
    return render(
        "ack/received",
        language,
        reference="M2026-000007",
        company_name="华信贸易",
        greeting_name="张敏",
        original_subject=subject,
        subject_prefix=reply_subject_prefix(subject, language),
    )


def test_a_reply_threads_is_marked_automatic_and_uses_crlf():
    raw = compose(
        _rendered("en", "PO 88"),
        sender="orders@acme.example",
        sender_name="Acme",
        recipient="buyer@customer.example",
        message_id="r1@acme.example",
        thread=Thread("orig@customer.example", ("first@customer.example",)),
    )
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["In-Reply-To"] == "<orig@customer.example>"
    assert message["References"] == "<first@customer.example> <orig@customer.example>"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Subject"] == "Re: PO 88 [M2026-000007]"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_a_long_chinese_subject_and_sender_name_survive_the_round_trip():
    raw = compose(
        _rendered("zh", LONG_SUBJECT),
        sender="orders@acme.example",
        sender_name="华信贸易",
        recipient="zhang@huaxin.example",
        message_id="r2@a.example",
        documents=(Document("报价单 Q-2026-00001.pdf", b"%PDF-1.4\n"),),
    )
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == f"回复：{LONG_SUBJECT} [M2026-000007]"
    assert message["From"].addresses[0].display_name == "华信贸易"
    assert "已收到" in message.get_body(("plain",)).get_content()
    assert [a.get_filename() for a in message.iter_attachments()] == ["报价单 Q-2026-00001.pdf"]


def test_a_reply_written_by_a_clerk_is_not_marked_automatic():
    raw = compose(
        _rendered("en", "Hi"),
        sender="orders@acme.example",
        sender_name="Acme",
        recipient="b@c.example",
        message_id="r3@a.example",
        automatic=False,
    )
    assert email.message_from_bytes(raw, policy=policy.default)["Auto-Submitted"] is None


def test_a_reply_is_written_byte_for_byte_as_the_standard_library_folds_it():
    # Given messages built as replies are, with short and long, ASCII and Chinese headers
    standard = policy.compat32.clone(linesep="\r\n")
    for subject in (
        "Re: PO 4711",
        "回复：关于订单 SO-2026-00042 的交货期问题" * 3,
        "Re: " + "x" * 90,
    ):
        built = MIMEMultipart("mixed")
        built.attach(MIMEText("Thank you.", "plain", "utf-8"))
        document = MIMEApplication(b"%PDF-1.4 test", _subtype="pdf")
        document.add_header(
            "Content-Disposition", "attachment", filename=("utf-8", "", "报价单 Q-1.pdf")
        )
        built.attach(document)
        built["From"] = formataddr(("开元零件 Kaiyuan Parts", "orders@kaiyuan.example"), "utf-8")
        built["Subject"] = subject if subject.isascii() else cast(str, Header(subject, "utf-8"))
        built["Message-ID"] = "<1@kaiyuan.example>"
        built["References"] = " ".join(f"<r{n}@customer.example>" for n in range(9))
        # Then it comes out exactly as compat32 writes it, long lines folded alike
        assert built.as_bytes(policy=SMTP_COMPAT) == built.as_bytes(policy=standard)
