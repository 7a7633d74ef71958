"""An in-memory snapshot of the catalog, used to resolve what customers wrote into our codes.

The parser runs many mails against one snapshot, so products and customers are read from the
store once (`Catalog.load`) and indexed for exact, alias, name and fuzzy look-ups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from mailroom.numbering import Numbering
from mailroom.parsers.scripts import either_script, forms, simplified
from mailroom.parsers.variants import names_another_variant

# A fuzzy score at or above SURE is treated like an exact match; between UNSURE and SURE the
# SKU is still reported but the match is marked unsure (it lowers the mail's confidence).
SURE, UNSURE = 90.0, 78.0
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
# Up to this many needles a text can hold get a pattern of their own.
_SMALL_PATTERN = 24
_NON_CODE = re.compile(r"[^0-9A-Z\u3400-\u9fff]")


def code_key(text: str) -> str:
    """A form of a product code or name that ignores case, spaces, dashes, dots and the
    Chinese script it is written in."""
    return _NON_CODE.sub("", simplified(text).upper())


@dataclass(frozen=True)
class ProductRef:
    """What the parser needs to know of one product."""

    sku: str
    name: str
    name_zh: str | None = None
    aliases: tuple[str, ...] = ()
    unit: str = "pcs"
    unit_price: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class CustomerRef:
    """What the parser needs to know of one customer."""

    customer_id: str
    name: str
    emails: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    language: str | None = None
    ship_to: str | None = None


@dataclass(frozen=True)
class SkuMatch:
    """A resolved SKU, how it was found, and whether the match is sure."""

    sku: str
    how: str  # "code", "alias", "name", "model", "fuzzy", "words"
    score: float

    @property
    def sure(self) -> bool:
        return self.score >= SURE


@dataclass
class Catalog:
    """Products and customers, indexed for the look-ups the parser makes."""

    products: dict[str, ProductRef] = field(default_factory=dict)
    customers: dict[str, CustomerRef] = field(default_factory=dict)
    # The shapes of our own order and quote numbers, which mail cites.
    numbering: Numbering = field(default_factory=Numbering)

    def __post_init__(self) -> None:
        self._codes: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for product in self.products.values():
            self._codes[code_key(product.sku)] = product.sku
            for alias in product.aliases:
                self._names.setdefault(code_key(alias), product.sku)
            for name in (product.name, product.name_zh):
                if name:
                    self._names.setdefault(code_key(name), product.sku)
        # Longest first, so "HX-2040-B" wins over "HX-2040" when both appear in a text.
        self._needles = sorted(
            {**self._names, **self._codes}.items(), key=lambda kv: len(kv[0]), reverse=True
        )
        self._choices = list(self._names)
        self._words: dict[str, str] = {}
        for product in self.products.values():
            for name in (product.name, product.name_zh or "", *product.aliases):
                if name:
                    self._words.setdefault(_words(name), product.sku)
        self._word_choices = list(self._words)
        self._vocabulary = {word for words in self._words for word in words.split()}
        self._model_tokens = _model_tokens(self._words)
        self._models = _model_numbers(self.products.values())
        mention = {
            needle: p.sku
            for p in self.products.values()
            for needle in (p.sku, *p.aliases, p.name, p.name_zh or "")
            if len(needle.strip()) >= 2
        }
        mention.update(self._models)
        self._mention_needles = sorted(mention.items(), key=lambda kv: len(kv[0]), reverse=True)
        self._mention_keys = {code_key(needle): sku for needle, sku in self._mention_needles}
        self._mention_signs, self._mention_unsigned = _sign_index(self._mention_needles)
        self._mention_patterns: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._by_email: dict[str, str] = {}
        self._by_domain: dict[str, str] = {}
        for customer in self.customers.values():
            for email in customer.emails:
                self._by_email.setdefault(email.lower(), customer.customer_id)
            for domain in customer.domains:
                self._by_domain.setdefault(domain.lower(), customer.customer_id)

    @classmethod
    def empty(cls) -> Catalog:
        """A catalog with no products and no customers: nothing resolves."""
        return cls()

    @classmethod
    def of(
        cls,
        products: Iterable[ProductRef],
        customers: Iterable[CustomerRef],
        numbering: Numbering | None = None,
    ) -> Catalog:
        """Build a snapshot from plain records (tests, the golden corpus)."""
        return cls(
            {p.sku: p for p in products},
            {c.customer_id: c for c in customers},
            numbering or Numbering(),
        )

    @classmethod
    def load(cls, session: Session, numbering: Numbering | None = None) -> Catalog:
        """Read every product and customer of the store into a snapshot; `numbering` is the
        settings' (the defaults when None)."""
        from store.catalog import all_customers, all_products

        products = [
            ProductRef(
                sku=p.sku,
                name=p.name,
                name_zh=p.name_zh,
                aliases=tuple(str(a) for a in p.aliases or ()),
                unit=p.unit or "pcs",
                unit_price=p.unit_price,
                currency=p.currency,
            )
            for p in all_products(session)
        ]
        customers = [
            CustomerRef(
                customer_id=c.customer_id,
                name=c.name,
                emails=tuple(str(e).lower() for e in c.emails or ()),
                domains=tuple(str(d).lower() for d in c.domains or ()),
                language=c.language,
                ship_to=c.ship_to,
            )
            for c in all_customers(session)
        ]
        return cls.of(products, customers, numbering)

    def customer_for(self, address: str | None) -> str | None:
        """The customer an address belongs to: listed address first, then its mail domain."""
        if not address:
            return None
        address = address.lower()
        found = self._by_email.get(address)
        if found:
            return found
        domain = address.rsplit("@", 1)[-1]
        while domain:
            if domain in self._by_domain:
                return self._by_domain[domain]
            # A subdomain (mail.example.com) belongs to the customer of example.com.
            domain = domain.partition(".")[2] if domain.count(".") > 1 else ""
        return None

    def resolve(self, description: str) -> SkuMatch | None:
        """The SKU a customer's description of an item means, or None if nothing is close.

        Tries, in order: our code in the text, an alias or name in the text, then a fuzzy
        match of the whole description against names and aliases.
        """
        key = code_key(description)
        if not key or not self.products:
            return None
        if key in self._codes:
            return SkuMatch(self._codes[key], "code", 100.0)
        if key in self._names:
            return SkuMatch(self._names[key], "name", 100.0)
        if key in self._models:
            return SkuMatch(self._models[key], "model", SURE)
        for needle, sku in self._needles:
            if len(needle) >= 3 and needle in key:
                how = "code" if needle in self._codes else "name"
                return SkuMatch(sku, how, 100.0 if how == "code" else 95.0)
        found = self._fuzzy(description)
        if found is not None and self._other_variant(description, found.sku):
            return None
        return found

    def fits(self, description: str, sku: str) -> bool:
        """Whether a description is all inside one of the product's names or aliases, as a
        generic name is ("深沟球轴承" of "深沟球轴承 6205-2RS")."""
        product = self.products.get(sku)
        key = code_key(description)
        if product is None or len(key) < 3:
            return False
        names = (product.name, product.name_zh or "", *product.aliases)
        return any(
            fuzz.partial_ratio(key, code_key(name)) >= SURE for name in names if len(name) >= 3
        )

    def other_variant_of(self, description: str) -> str | None:
        """The product a description is close to but names another variant of ("光伏电缆 4平方
        黑色" beside our red one), or None. Such a description is an item the catalog lacks:
        an order line with no SKU for the checks to ask about, never our product."""
        key = code_key(description)
        if not key or not self.products or key in self._codes or key in self._names:
            return None
        found = self._fuzzy(description)
        if found is not None and self._other_variant(description, found.sku):
            return found.sku
        return None

    def _other_variant(self, description: str, sku: str) -> bool:
        product = self.products[sku]
        return names_another_variant(
            description, (product.name, product.name_zh or "", *product.aliases)
        )

    def _fuzzy(self, description: str) -> SkuMatch | None:
        key = code_key(description)
        if len(key) < 3:
            return None
        best = process.extractOne(key, self._choices, scorer=fuzz.ratio, score_cutoff=UNSURE)
        partial = process.extractOne(
            key,
            [c for c in self._choices if len(c) >= 5],
            scorer=fuzz.partial_ratio,
            score_cutoff=SURE,
        )
        candidates = [c for c in (best, partial) if c is not None]
        if not candidates:
            return self._by_words(description)
        choice, score, _index = max(candidates, key=lambda c: c[1])
        # A partial match only says the name is inside the text: never better than unsure.
        if best is None or choice != best[0]:
            score = min(score, SURE - 1)
        return SkuMatch(self._names[choice], "fuzzy", float(score))

    def _by_words(self, description: str) -> SkuMatch | None:
        """The one product whose name shares most words with the description, as unsure."""
        query = self._known_words(description)
        if len(query) < 4:
            return None
        found = process.extract(
            query, self._word_choices, scorer=fuzz.token_set_ratio, limit=3, score_cutoff=SURE
        )
        skus = {self._words[choice] for choice, score, _i in found if score >= found[0][1] - 3}
        if not found or len(skus) != 1:
            return self._by_model_token(query)
        return SkuMatch(skus.pop(), "words", min(found[0][1], SURE - 1))

    def _by_model_token(self, query: str) -> SkuMatch | None:
        """A model code of letters and digits that one product's names alone carry ("KCD4" of
        "KCD4 red"), as unsure: it says which product, if not how surely."""
        owners = {
            self._model_tokens[w]
            for w in query.split()
            if w in self._model_tokens and re.search(r"[a-z]", w) and re.search(r"\d", w)
        }
        return SkuMatch(owners.pop(), "model", SURE - 1) if len(owners) == 1 else None

    def without_our_numbers(self, text: str) -> str:
        """`text` with our own order and quote numbers blanked: they name no product."""
        for kind in (self.numbering.order, self.numbering.quote):
            text = kind.pattern.sub(" ", text)
        return text

    def _known_words(self, description: str) -> str:
        """The words of a description that can name a product. Chinese runs a name into the
        sentence around it ("订单里的USB-C母座数量"), so a Chinese character that no product
        name uses says nothing of which product is meant; nor does one of our own order or
        quote numbers. Other words stay: an unknown English word or code may be what tells
        a different product from ours."""
        words = _words(self.without_our_numbers(description)).split()
        return " ".join(w for w in words if w in self._vocabulary or not _CJK_CHAR.fullmatch(w))

    def _mention_key(self, key: str) -> str | None:
        # The pattern lets a name take a plural ("PT100 probes"); its key is the singular's.
        return next(
            (self._mention_keys[k] for k in _plural_free(key) if k in self._mention_keys), None
        )

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Where product codes, aliases or names occur in `text`: (start, end, sku), in order.

        Used to find items in free text; code-like needles must stand as whole tokens. One
        pattern holds every needle, longest first, so a longer name wins over its prefix.
        """
        pattern = self._mention_pattern_for(text)
        if pattern is None:
            return []
        found = []
        for match in pattern.finditer(text):
            sku = self._mention_key(code_key(match.group(0)))
            if sku is not None:
                found.append((match.start(), match.end(), sku))
        return found

    def _mention_pattern_for(self, text: str) -> re.Pattern[str] | None:
        """One pattern of the needles that can occur in `text`: those whose sign it holds.

        A large catalog makes one pattern of every needle slow (each is tried at every
        position); the few needles a text can hold make a small pattern, kept for the next
        text that holds the same ones.
        """
        folded = text.casefold()
        held = set(self._mention_unsigned)
        for sign, indexes in self._mention_signs.items():
            if sign in folded:
                held.update(indexes)
        chosen = tuple(sorted(held))
        if not chosen:
            return None
        if len(chosen) > _SMALL_PATTERN:
            # A long document holds many signs; a pattern of them all is made once, not anew
            # for each document's own set (compiling costs more than searching then).
            chosen = tuple(range(len(self._mention_needles)))
        pattern = self._mention_patterns.get(chosen)
        if pattern is None:
            if len(self._mention_patterns) >= 1024:
                self._mention_patterns.clear()
            needles = (self._mention_needles[index][0] for index in chosen)
            pattern = re.compile("|".join(map(_needle_body, needles)), re.IGNORECASE)
            self._mention_patterns[chosen] = pattern
        return pattern


def _plural_free(key: str) -> list[str]:
    """A needle's key as matched, then without the plural ending the pattern allows."""
    return [key, key[:-1], key[:-2]] if key.endswith("S") else [key]


def _model_numbers(products: Iterable[ProductRef]) -> dict[str, str]:
    """Bare model numbers ("6205" of "6205-2RS", "2835" of "2835 LED WW") that name one product.

    Customers write "6205 轴承" or "2835 chips": the number alone is the product when no other
    product's names carry it.
    """
    owners: dict[str, set[str]] = {}
    for product in products:
        for name in (product.name, product.name_zh or "", *product.aliases):
            for number in re.findall(r"(?<![\w.])\d{4,5}(?![\w.])", name):
                owners.setdefault(number, set()).add(product.sku)
    return {number: skus.pop() for number, skus in owners.items() if len(skus) == 1}


def _words(text: str) -> str:
    """Lower-case words of a name, plural -s dropped, for word-overlap matching. Chinese is
    written without spaces, so each of its characters is a word: "5米中性白灯带" then shares
    its words with "灯带 24V 5米 中性白" in whatever order they were written."""
    words = re.findall(r"[a-z0-9]+|[\u3400-\u9fff]", simplified(text).lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and w.isalpha() else w for w in words)


def _model_tokens(words: dict[str, str]) -> dict[str, str]:
    """Tokens of four or more characters that only one product's names hold: token -> SKU."""
    owners: dict[str, set[str]] = {}
    for name, sku in words.items():
        for token in name.split():
            if len(token) >= 4:
                owners.setdefault(token, set()).add(sku)
    return {token: skus.pop() for token, skus in owners.items() if len(skus) == 1}


def _sign_index(needles: list[tuple[str, str]]) -> tuple[dict[str, list[int]], list[int]]:
    """What a text must hold for each needle to occur in it (sign -> needles, by index), and
    the needles that have no sign and are always searched."""
    signed: dict[str, list[int]] = {}
    unsigned: list[int] = []
    for index, (needle, _sku) in enumerate(needles):
        signs = _sign(needle)
        for sign in signs or ():
            signed.setdefault(sign, []).append(index)
        if signs is None:
            unsigned.append(index)
    return signed, unsigned


def _sign(needle: str) -> tuple[str, ...] | None:
    """What a text must hold (case-folded) for `needle` to occur in it: its longest run of
    letters and digits, or the forms of its first Chinese character; None if neither."""
    runs = re.findall(r"[a-z0-9]{2,}", needle.casefold())
    if runs:
        return (max(runs, key=len),)
    chinese = re.search(r"[\u3400-\u9fff]", needle)
    return tuple(forms(chinese.group(0)).casefold()) if chinese else None


def _needle_body(needle: str) -> str:
    parts = [either_script(re.escape(p)) for p in re.split(r"[\s\-_.]+", needle.strip()) if p]
    body = r"[\s\-_.]?".join(parts)
    # ASCII needles must not be part of a longer word or code; CJK ones need no bounds.
    if needle.isascii():
        body = rf"(?<![A-Za-z0-9]){body}(?:e?s)?(?![A-Za-z0-9])"
    return f"(?:{body})"
