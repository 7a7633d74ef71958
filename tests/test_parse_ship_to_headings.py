"""Ship-to blocks under headings in two languages ("Lieferadresse / Delivery address:") beside
another box, and a ship-to in running text whose first part names the receiving party
("Ship to SF Assembly - Receiving, 2150 Cesar Chavez St, ..."): the street and town after the
comma go on with the place."""

from __future__ import annotations

import pytest

from mailroom.parsers.address import ship_to

TEXTS = [
    (
        # A bilingual heading beside another box's, as a German ERP's PDF prints it
        "Lieferadresse / Delivery address:            Liefertermin / Delivery date:\n"
        "Hartmann Antriebe GmbH - Werk Nord          04.02.2027 (KW 05)\n"
        "Tor 2, Warenannahme\n"
        "Industriering 21\n"
        "32051 Herford\n"
        "\n"
        "Pos   Art.-Nr.   Menge\n",
        "Hartmann Antriebe GmbH - Werk Nord\nTor 2, Warenannahme\nIndustriering 21\n32051 Herford",
    ),
    (
        # The other language first, the heading alone on its line
        "Delivery address / Lieferanschrift:\n"
        "Bergmann Pumpen AG\n"
        "Halle 3\n"
        "Gewerbestr. 5\n"
        "79618 Rheinfelden\n",
        "Bergmann Pumpen AG\nHalle 3\nGewerbestr. 5\n79618 Rheinfelden",
    ),
    (
        "Warenempfänger / Consignee:      Zahlung / Terms:\n"
        "Krüger Elektro KG                30 Tage netto\n"
        "Am Hafen 12\n"
        "28217 Bremen\n",
        "Krüger Elektro KG\nAm Hafen 12\n28217 Bremen",
    ),
    (
        "Need it on site by Jan 29.\n"
        "Ship to Northline Ltd - Goods In, 14 Mill Lane, Leeds LS1 4AB\n\nRob",
        "Northline Ltd - Goods In, 14 Mill Lane, Leeds LS1 4AB",
    ),
    (
        "Please deliver to Acme Receiving Dock, 22 Dock Road, Joliet IL 60431 by Friday.",
        "Acme Receiving Dock, 22 Dock Road, Joliet IL 60431",
    ),
    # A comma before words that are no street line still ends the place
    ("Please deliver to our Leeds depot, as usual.", None),
]


@pytest.mark.parametrize(("text", "want"), TEXTS)
def test_the_delivery_address_under_a_heading_or_in_a_sentence(text: str, want: str | None) -> None:
    assert ship_to(text) == want
