"""Every quote reply template renders in English and Chinese from a stored quote's values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mailroom.quotes.document import template_context
from mailroom.replies.render import render
from store.catalog import Product
from store.quotes import Quote, QuoteLine

COMMON = {
    "reference": "M2026-000042",
    "company_name": "Mailroom Trading Co.",
    "greeting_name": "Acme",
    "original_subject": "RFQ bolts [Q-2026-00001]",
    "subject_prefix": "Re: ",
}


def _quote(language: str) -> tuple[Quote, dict[str, Product]]:
    bolt = Product(sku="HX-2040", name="Hex Bolt M8x40", name_zh="六角螺栓 M8x40", unit="pcs")
    quote = Quote(
        number="Q-2026-00002",
        customer_id="C-ACME",
        language=language,
        quote_date=date(2026, 3, 2),
        valid_until=date(2026, 3, 16),
        promised_date=date(2026, 3, 3),
        payment_terms="NET 30",
        replaces="Q-2026-00001",
    )
    quote.lines.append(
        QuoteLine(
            position=1,
            sku="HX-2040",
            description="HX-2040",
            quantity_requested=Decimal(500),
            quantity=Decimal(1000),
            unit="pcs",
            currency="USD",
            unit_price=Decimal("0.12"),
            amount=Decimal("120.00"),
            from_stock=True,
            dispatch_date=date(2026, 3, 3),
            notes=[
                {"code": "below-moq", "message": "Quoted at the minimum order quantity of 1000."}
            ],
            holds=[],
        )
    )
    return quote, {"HX-2040": bolt}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("purpose", ["quote/sent", "quote/held", "quote/reminder"])
def test_each_quote_template_renders_the_quote_in_the_language(purpose: str, language: str) -> None:
    # Given a stored quote re-quoting an expired one, with a line raised to the MOQ
    quote, products = _quote(language)

    # When the reply is rendered
    rendered = render(
        purpose, language, **COMMON, **template_context(quote, products, COMMON["original_subject"])
    )

    # Then it names the quote, and the subject does not repeat the old number
    assert "Q-2026-00002" in rendered.subject + rendered.text
    assert "Q-2026-00001" not in rendered.subject
    if purpose == "quote/sent":
        assert "120.00" in rendered.text and "Q-2026-00001" in rendered.text
        moq = "最小起订量" if language == "zh" else "minimum order quantity"
        assert moq in rendered.text and rendered.html and "120.00" in rendered.html


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_question_back_lists_unknown_items_with_suggestions_and_bare_products(
    language: str,
) -> None:
    # Given an unknown item with a suggestion and a product without a quantity
    context = {
        "unknown": [
            {
                "description": "stepper motor NEMA 24",
                "quantity": "300",
                "unsure": True,
                "suggestions": [{"sku": "MT-57S56", "name": "Stepper Motor NEMA 23"}],
            }
        ],
        "unquantified": [{"sku": "HX-2050", "name": "Hex Bolt M10x50"}],
        "known": [{"sku": "HX-2040", "quantity": "5000"}],
    }

    # When the question is rendered
    rendered = render("quote/ask", language, **COMMON, **context)

    # Then each item is on its own line with its suggestion, and the known one is noted
    lines = rendered.text.splitlines()
    assert any("NEMA 24" in line for line in lines)
    assert any(line.strip().startswith("MT-57S56") for line in lines)
    assert any(line.startswith("- HX-2050") for line in lines)
    assert "HX-2040 x 5000" in rendered.text
