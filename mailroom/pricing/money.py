"""Money in a currency: its minor unit (ISO 4217) and rounding half-up to it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units that are not 2; every other currency has 2 decimals.
_NO_DECIMALS = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX"}
_NO_DECIMALS |= {"UYI", "VND", "VUV", "XAF", "XOF", "XPF"}
_THREE_DECIMALS = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}


def minor_unit(currency: str) -> int:
    """Decimals of a currency's minor unit (ISO 4217): 0 for JPY and KRW, 2 for most.

    Args:
        currency: an ISO 4217 code, any case.

    Returns:
        The number of decimals amounts in that currency are rounded to.
    """
    code = currency.strip().upper()
    return 0 if code in _NO_DECIMALS else 3 if code in _THREE_DECIMALS else 2


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (12.345 USD -> 12.35, 1234.5 JPY -> 1235).

    Args:
        amount: any Decimal.
        currency: ISO 4217 code deciding the number of decimals.

    Returns:
        The rounded amount, with exactly the minor unit's number of decimals.
    """
    return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)
