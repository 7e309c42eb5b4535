"""The evidence check: is a proposed value really in the text of the page it came from?"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from app.research.normalize import FieldSpec, FieldType, Money, clean_text

_NON_DIGIT = re.compile(r"\D")


def _number_forms(number: Decimal) -> set[str]:
    forms = {f"{number:,.2f}", f"{number:.2f}"}
    if number == number.to_integral_value():
        whole = int(number)
        forms |= {str(whole), f"{whole:,}"}
        if whole >= 1000 and whole % 1000 == 0:
            forms.add(f"{whole // 1000}k")
    else:
        forms |= {f"{number.normalize()}", f"{float(number):g}"}
    return forms


def value_found(spec: FieldSpec, normalized: Any, raw: Any, text: str | None) -> bool | None:
    """True when the value appears in ``text``, False when it does not, None when there is no text."""
    if not text:
        return None
    haystack = clean_text(text).casefold()
    if raw is not None and not isinstance(raw, (dict, list, bool)) and clean_text(raw).casefold() in haystack:
        return True
    kind = spec.type
    if kind == FieldType.phone:
        national = str(normalized)[2:] if str(normalized).startswith("+1") else str(normalized).lstrip("+")
        return national in _NON_DIGIT.sub("", text)
    if kind in (FieldType.money, FieldType.price, FieldType.integer, FieldType.decimal):
        amount = normalized.amount if isinstance(normalized, Money) else Decimal(str(normalized))
        return any(form.casefold() in haystack for form in _number_forms(amount))
    if kind in (FieldType.text_set, FieldType.url_set):
        return all(str(item).casefold() in haystack for item in normalized)
    if kind in (FieldType.date, FieldType.datetime) and isinstance(normalized, (date, datetime)):
        day = normalized if not isinstance(normalized, datetime) else normalized.date()
        forms = {day.isoformat(), day.strftime("%B %d, %Y"), day.strftime("%B %-d, %Y"), day.strftime("%m/%d/%Y")}
        return any(form.casefold() in haystack for form in forms)
    if kind == FieldType.url:
        bare = str(normalized).split("://", 1)[-1].rstrip("/")
        return bare.casefold() in haystack
    if kind == FieldType.email:
        return str(normalized).casefold() in haystack
    return str(normalized).casefold() in haystack
