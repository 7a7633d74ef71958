"""Tables printed in fixed width under a ruler of dashes (IBM i spool files, ERP printouts):
the ruler cuts the columns, a line under a row that fills one column alone is the rest of that
row's cell, and a PER column's codes (C a hundred, M a thousand) make the price one per piece."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.ruled import ruled_as_cells

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
    ],
    [],
)

SPOOL = """\
PO 4471203                                   PAGE   1

LN OUR PART        DESCRIPTION           QTY ORD UM  UNIT COST PER
-- --------------- --------------------- ------- -- ---------- ---
01 AB-77120        BOLT HEX 8X40 ZN       12,000 EA      9.500  C
                   SUPPLIER PART HX-2040
02 AB-55018        WASHER PLAIN 8 SS      30,000 EA     18.000  M
                   SUPPLIER PART WS-0810
                                                    ----------
                             TOTAL           1,680.00

CODES  E = EACH   C = PER 100   M = PER 1000
"""


def test_a_spool_table_under_a_ruler_gives_its_lines_per_piece() -> None:
    # Given a spool printout whose columns only the ruler tells apart, our codes on the line
    # under each row, and unit costs per hundred and per thousand
    lines = extract_lines(SPOOL, CATALOG)
    # Then each row is a line of our product, its count in pieces and its price per piece
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == [
        ("HX-2040", Decimal(12000), Decimal("0.095")),
        ("WS-0810", Decimal(30000), Decimal("0.018")),
    ]


def test_the_ruler_cuts_the_header_into_its_columns() -> None:
    rows = ruled_as_cells(SPOOL.split("\n"))
    assert rows[2] == "| LN | OUR PART | DESCRIPTION | QTY ORD | UM | UNIT COST | PER |"
    assert rows[3].startswith("| 01 | AB-77120 | BOLT HEX 8X40 ZN SUPPLIER PART HX-2040 |")


def test_a_legend_of_codes_is_no_line() -> None:
    # "C = PER 100  M = PER 1000" explains the codes; a unit before "=" labels what follows
    assert extract_lines("CODES  E = EACH   C = PER 100   M = PER 1000", CATALOG) == []


def test_a_signature_dash_line_is_no_ruler() -> None:
    text = "Thanks, 500 pcs of HX-2040 please\n-- \nJohn"
    assert ruled_as_cells(text.split("\n")) == text.split("\n")


def test_a_registration_number_in_a_printouts_heading_is_no_part_code() -> None:
    # Given a printout's heading laid out in columns: a business number, the page number
    text = (
        "ACME ELECTRICAL PTY LTD                  PURCHASE ORDER\n"
        "ABN 61 104 558 217                       PAGE          1\n"
        "45 SMITH ST                              DATE   07/12/26\n"
    )
    # Then "ABN 61" is no item, and page 1 no count of one
    assert extract_lines(text, CATALOG) == []


def test_a_model_written_with_a_space_is_still_a_code() -> None:
    lines = extract_lines("LRS 120 power supply | 40 pcs\nLRS 350 power supply | 10 pcs", CATALOG)
    assert [(line.description, line.quantity) for line in lines] == [
        ("LRS 120 power supply", Decimal(40)),
        ("LRS 350 power supply", Decimal(10)),
    ]
