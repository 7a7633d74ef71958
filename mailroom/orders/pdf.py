"""The order confirmation PDF of one order, in the customer's language."""

from __future__ import annotations

from mailroom.documents import Document, DocumentLine, render_order_confirmation
from mailroom.replies.compose import Document as Attachment
from mailroom.settings import Settings
from store.base import utcnow
from store.catalog import Customer, Product
from store.orders import Order, OrderLine


def confirmation(
    order: Order,
    customer: Customer | None,
    products: dict[str, Product],
    settings: Settings,
    language: str,
) -> Attachment:
    """Render the order's confirmation as a PDF attachment named after the order.

    Args:
        order: a priced order (every line has a unit price and an amount).
        customer: the customer record (name, payment terms), if known.
        products: catalog products by SKU, for the names and units printed.
        settings: our company name and address.
        language: "en" or "zh".

    Returns:
        The attachment: `SO-2026-00001.pdf`, or `SO-2026-00001-R2.pdf` after a change.
    """
    doc = Document(
        company_name=settings.company_name,
        company_address=settings.company_address,
        number=order.number,
        date=utcnow().date(),
        customer_name=customer.name if customer else "",
        customer_address=delivery_address(order.ship_to, customer),
        customer_po=order.po_number or "",
        promised_date=order.promised_date,
        lines=tuple(document_line(line, products.get(line.sku or "")) for line in order.lines),
        payment_terms=order.payment_terms or "",
    )
    suffix = f"-R{order.revision}" if order.revision > 1 else ""
    pdf = render_order_confirmation(doc, language)
    return Attachment(f"{order.number}{suffix}.pdf", pdf)


def document_line(line: OrderLine, product: Product | None) -> DocumentLine:
    """One order line as the PDF prints it, named as the catalog names its product."""
    return DocumentLine(
        sku=line.sku or "",
        quantity=line.quantity,
        name=product.name if product else line.description,
        name_zh=(product.name_zh or "") if product else "",
        unit=line.unit,
        unit_price=line.unit_price,
        amount=line.amount,
        currency=line.currency or "",
        dispatch_date=line.dispatch_date,
        from_stock=line.from_stock,
    )


def delivery_address(ship_to: str | None, customer: Customer | None) -> str:
    """The delivery address without a first line that only repeats the customer's name."""
    parts = [p.strip() for p in (ship_to or "").replace("\n", " / ").split(" / ") if p.strip()]
    if parts and customer is not None and parts[0] == customer.name.strip():
        parts = parts[1:]
    return " / ".join(parts)
