"""The error answers of the JSON API, documented once and used in the route decorators.

Every error of ``/api`` is JSON with a ``detail`` (see :mod:`migmap.web.errors`): a message, or for
request validation one item per field (``loc``, ``msg``, ``type``). Some errors add fields: a stale
edit (409) gives the current record, invalid record data (422) lists the ``problems``.

    >>> sorted(errors(404, 422))
    [404, 422]
    >>> errors(409)[409]["model"].__name__
    'ConflictError'
"""

from __future__ import annotations

from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict


class FieldError(BaseModel):
    """One invalid request parameter or body field (FastAPI's validation error, without the input)."""

    loc: list[Union[str, int]]
    msg: str
    type: Optional[str] = None


class Error(BaseModel):
    """An error answer: ``detail`` says what is wrong (a message, or one item per invalid field)."""

    model_config = ConfigDict(extra="allow")

    detail: Union[str, list[FieldError]]


class RecordProblem(BaseModel):
    file: Optional[str] = None
    row: Optional[int] = None
    field: str
    message: str


class InvalidRequest(Error):
    """422: a parameter or body field is invalid, or (``problems``) the record would be invalid."""

    problems: list[RecordProblem] = []


class ConflictError(Error):
    """409: the change was based on a stale version (``current`` is the record as it is now),
    or the record is not in a state that allows it."""

    based_on: Optional[int] = None
    current_version: Optional[int] = None
    current: Optional[dict[str, Any]] = None


DESCRIPTIONS: dict[int, str] = {
    400: "The request body is not valid JSON",
    401: "Not logged in, or the API token is invalid or revoked",
    403: "The user's role cannot do this (or the session's X-CSRF-Token header is missing)",
    404: "No such record",
    409: "Changed by someone else meanwhile, or not in a state that allows this",
    413: "The request body is larger than the limit",
    422: "A parameter or body field is invalid",
    503: "The database is unavailable",
}

MODELS: dict[int, type[Error]] = {409: ConflictError, 422: InvalidRequest}


def errors(*codes: int) -> dict[Union[int, str], dict[str, Any]]:
    """The ``responses`` entries of a route for these error status codes."""
    return {code: {"model": MODELS.get(code, Error), "description": DESCRIPTIONS[code]} for code in codes}


#: Errors of the write routes on a record (an editor by API token, or by session + X-CSRF-Token).
WRITE = (401, 403, 404, 409, 422, 503)
#: Errors of a JSON request body.
BODY = (400, 413)
