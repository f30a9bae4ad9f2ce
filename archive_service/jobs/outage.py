"""Which failures are outages: the catalog, the blob store or the search engine did not answer.

A job that failed only because a backend was down has done nothing wrong: its document is not unreadable. The
queue records such a failure with ``OUTAGE_PREFIX`` in ``Job.last_error`` so that it can be queued again once the
backend is back (``archive_service.jobs.recovery``), instead of staying failed for ever.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.exc import DBAPIError, OperationalError

from archive_service.errors import ServiceUnavailable

OUTAGE_PREFIX: Final = "outage: "
_NETWORK: Final = (ConnectionError, TimeoutError, OperationalError)
# The S3 (urllib3) and Elasticsearch (elastic_transport) clients' errors for a peer that did not answer.
_TRANSPORT: Final = frozenset(
    {
        "MaxRetryError",
        "NewConnectionError",
        "ProtocolError",
        "ReadTimeoutError",
        "ConnectTimeoutError",
        "ConnectionTimeout",
        "TransportError",
    }
)


def is_outage(exc: BaseException) -> bool:
    """A backend that did not answer (connection refused or reset, timed out, told us it is unavailable)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # the cause chain: a wrapped socket error counts
        seen.add(id(current))
        if isinstance(current, (ServiceUnavailable, *_NETWORK)):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if type(current).__name__ in _TRANSPORT:
            return True  # the S3 and Elasticsearch clients' transport errors
        current = current.__cause__ or current.__context__
    return False


def describe_failure(exc: BaseException) -> str:
    """What ``Job.last_error`` records: the error, marked as an outage when it was one."""
    text = repr(exc)
    return OUTAGE_PREFIX + text if is_outage(exc) else text
