"""What a delivery address is not: a place on file named by its owner or as known already
("our Leeds depot", "the same address as last time"); and what it is though another address
is named beside it ("the delivery address is not our billing address:")."""

from __future__ import annotations

from mailroom.parsers.address import ship_to


def test_a_site_named_by_its_owner_is_a_place_on_file_not_an_address() -> None:
    # Given running text that names the site the goods go to, but writes no address
    # Then there is no delivery address to read: the customer's record has it
    assert ship_to("Please deliver to our Leeds depot as usual.") is None
    assert ship_to("Ship to: our Hamburg warehouse") is None


def test_an_address_said_to_be_the_one_on_file_is_none() -> None:
    assert ship_to("Deliver to: Northline Ltd (same address as last time)") is None
    assert ship_to("Ship to: usual delivery address, see PO 7781") is None
    assert ship_to("送货地址：同上次，老地址") is None
    # But an address written out beside such words is still an address
    assert ship_to("Ship to: our new warehouse, 12 Quay Street, Cork") == (
        "our new warehouse, 12 Quay Street, Cork"
    )


def test_a_delivery_address_said_to_differ_from_the_billing_one_is_read() -> None:
    # Given a sentence that names the delivery address first and the billing one after it
    text = (
        "Kindly note that our delivery address is not the same as our billing address:\n"
        "\n"
        "Harbour Tools Ltd\n"
        "Site B - Goods In\n"
        "12 Quay Street\n"
        "Cork T12 AB34\n"
        "\n"
        "Regards"
    )
    # Then the block under it is where the goods go
    assert ship_to(text) == "Harbour Tools Ltd\nSite B - Goods In\n12 Quay Street\nCork T12 AB34"
    # While a sentence about the billing address first still introduces that one
    billing_first = "Our invoice address differs from the delivery address:\nAcme Ltd\n1 Main St"
    assert ship_to(billing_first) is None
