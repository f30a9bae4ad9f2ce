"""ParseError: why a file could not be read, as a code the service can answer with."""

from __future__ import annotations

from typing import Final, Literal

ParseErrorCode = Literal["PARSE-CORRUPT", "PARSE-ENCRYPTED", "PARSE-TOO-LARGE", "PARSE-UNSUPPORTED", "PARSE-TIMEOUT"]

CORRUPT: Final = "PARSE-CORRUPT"
ENCRYPTED: Final = "PARSE-ENCRYPTED"
TOO_LARGE: Final = "PARSE-TOO-LARGE"
UNSUPPORTED: Final = "PARSE-UNSUPPORTED"
TIMEOUT: Final = "PARSE-TIMEOUT"


class ParseError(Exception):
    """A file refused by the readers; ``code`` is stable, ``message`` is one Vietnamese sentence."""

    def __init__(self, code: ParseErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code: str = code
        self.message: str = message
