"""Malformed addresses on the web app answer as people expect, not with "invalid data".

- A path whose id is not a number (``/ho-so/abc``) names nothing: 404, as any id that names nothing.
- A page asked with a query value that does not parse (``?trang=abc``, ``?sap_xep=xyz``, a year of letters)
  is a stale or mistyped link: the browser is sent to the same page without those values, which then take
  their defaults. Only GET, only values present in the query (a missing required one stays an error), and the
  address it sends to no longer holds them, so it cannot loop.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError


def names_nothing(exc: RequestValidationError) -> bool:
    """Whether a path parameter failed (a non-numeric id)."""
    return any(err.get("loc", ("",))[0] == "path" for err in exc.errors())


def without_bad_query(request: Request, exc: RequestValidationError) -> str | None:
    """The same page's address without the query values that failed, or None when that would not help."""
    if request.method != "GET":
        return None
    bad: set[str] = set()
    for err in exc.errors():
        loc = err.get("loc", ())
        if len(loc) < 2 or loc[0] != "query" or err.get("type") == "missing":
            return None
        bad.add(str(loc[1]))
    kept = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k not in bad]
    if not bad or len(kept) == len(parse_qsl(request.url.query, keep_blank_values=True)):
        return None
    query = urlencode(kept)
    return request.url.path + (f"?{query}" if query else "")
