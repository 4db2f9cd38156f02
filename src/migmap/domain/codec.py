"""One codec for the values people type: multi-values, country roles, validation messages.

Every adapter (CLI options, web parameters, import cells, forms, the advisor) reads text
through these functions, so the same text means the same thing everywhere.

    >>> split_codes("arrival; transit,long_term")
    ['arrival', 'transit', 'long_term']
    >>> split_codes(["arrival,transit", "arrival"])
    ['arrival', 'transit']
    >>> split_list("https://a.org/x,y; https://b.org")
    ['https://a.org/x,y', 'https://b.org']
    >>> country_role("npl:origin"), country_role("QAT")
    ({'code': 'npl', 'role': 'origin'}, {'code': 'QAT', 'role': 'destination'})
    >>> tidy_message("Value error, unknown code 'x'")
    "unknown code 'x'"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: Separators of multi-valued codes: a semicolon (the export's) or a comma (what people type).
CODE_SEPARATORS = re.compile(r"[;,]")


def _items(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return (value,)
    return value


def split_codes(value: Any) -> list[str]:
    """Codes from text or lists of text: split on ``;`` and ``,``, stripped, blanks and repeats dropped.

    Non-text items (numbers, mappings) are kept as they are, for the validator to name them.
    """
    out: list[Any] = []
    for item in _items(value):
        parts = CODE_SEPARATORS.split(item) if isinstance(item, str) else [item]
        for part in parts:
            part = part.strip() if isinstance(part, str) else part
            if part not in ("", None) and part not in out:
                out.append(part)
    return out


def split_list(value: Any) -> list[Any]:
    """Free values (source URLs, names) from text: split on ``;`` only, since commas occur inside them."""
    out: list[Any] = []
    for item in _items(value):
        if isinstance(item, str):
            out.extend(p.strip() for p in item.split(";") if p.strip())
        else:
            out.append(item)
    return out


def country_role(text: str, default: str = "destination") -> dict[str, str]:
    """``"NPL:origin"`` as ``{"code": "NPL", "role": "origin"}``; the role defaults to destination."""
    code, _, role = text.partition(":")
    return {"code": code.strip(), "role": role.strip().lower() or default}


def tidy_message(message: Any) -> str:
    """A validation message as a person should read it (without Pydantic's ``Value error,`` prefix)."""
    return str(message or "invalid value").removeprefix("Value error, ")
