"""One settings object, read once from the environment (prefix ``ARCHIVE_``).

A bad value stops the process with one readable line per setting (see ``describe_invalid``): an
operator who typed ``ARCHIVE_ENVIRONMENT=prod`` must not get a development server that looks like a
production one, nor a traceback.
"""

from __future__ import annotations

import logging
import os
import socket
from enum import Enum, StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

INVALID_PREFIX: Final = "Cấu hình sai / Invalid setting"
# Variables older versions read and this one ignores: said once at start, so that nobody believes
# they still protect anything. Sessions are random tokens stored as SHA-256 and CSRF tokens belong
# to sessions, so no server secret is needed.
RETIRED_VARIABLES: Final = ("ARCHIVE_SECRET_KEY",)
# Never echoed in an error line: they may hold a password.
_HIDDEN_FIELDS: Final = frozenset(
    {"database_url", "s3_access_key", "s3_secret_key", "es_password", "es_api_key", "metrics_token"}
)
# Secrets that may also come from a file (``ARCHIVE_<NAME>_FILE``: a Docker or Kubernetes secret mounted
# read-only), so that they never appear in the process's environment or in ``docker inspect``.
SECRET_FILE_FIELDS: Final = (
    "database_url",
    "s3_access_key",
    "s3_secret_key",
    "es_password",
    "es_api_key",
    "metrics_token",
)


class Environment(StrEnum):
    """Production turns on Secure cookies, HSTS and the login in front of the API docs."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class BlobBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class SearchBackend(StrEnum):
    FTS5 = "fts5"
    ELASTICSEARCH = "elasticsearch"


class Settings(BaseSettings):
    """Every setting has a default that runs the service on a bare laptop (SQLite, a local folder)."""

    model_config = SettingsConfigDict(env_prefix="ARCHIVE_", env_file=None, extra="ignore")

    environment: Environment = Field(Environment.DEVELOPMENT, description="development | production")
    data_dir: Path = Field(Path("archive-data"), description="Where the embedded defaults write everything")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in data_dir")
    blob_backend: BlobBackend = BlobBackend.LOCAL
    blob_dir: Path | None = Field(None, description="Local blob folder; default data_dir/blobs")
    transfer_dir: Path | None = Field(
        None, description="Where the API and web write transfer bags (nộp lưu); default data_dir/transfers"
    )
    s3_endpoint: str = "127.0.0.1:8333"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "archive-originals"
    s3_secure: bool = False
    s3_region: str | None = None
    s3_object_lock: bool = Field(
        True,
        description=(
            "Create the bucket with S3 Object Lock, so that closed dossiers are kept WORM by the store itself "
            "(NĐ 30/2020 Điều 29; a bucket made without it cannot gain it later: the store then warns and "
            "enforces the locks only in this program)"
        ),
    )
    search_backend: SearchBackend = SearchBackend.FTS5
    es_url: str = "http://127.0.0.1:9200"
    es_index_prefix: str = "archive-documents"
    es_username: str = Field("", description="Elasticsearch user (basic authentication; with es_password)")
    es_password: str = ""
    es_api_key: str = Field("", description="Elasticsearch API key (encoded form), instead of a user and password")
    es_ca_certs: Path | None = Field(None, description="CA certificate (PEM) Elasticsearch's TLS is verified against")
    es_shards: int = Field(1, ge=1, description="Primary shards of a new search index (a cluster: one per data node)")
    es_replicas: int | None = Field(
        None, ge=0, description="Replicas of each shard of a new search index; default 0, or 1 once a second node joins"
    )
    search_refresh: bool = Field(False, description="Make every index write searchable at once (tests)")
    fts5_advised_max_documents: int = Field(
        20_000,
        ge=0,
        description=(
            "Documents past which the embedded FTS5 search is slower than a search should be (p95 over 100 ms, "
            "see README 'Search at scale'): start-up then advises Elasticsearch; 0 never advises"
        ),
    )
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: int = Field(100, ge=1, description="Largest accepted file, in MB")
    max_files_per_upload: int = Field(200, ge=1)
    workers: int = Field(
        1, ge=0, description="Background job threads in the serve process (0: serve only, `archive-service worker`)"
    )
    worker_poll_s: float | None = Field(
        None,
        gt=0,
        description=(
            "How often an idle worker looks for jobs; default 2 s on SQLite, 30 s on PostgreSQL (where a queued "
            "job wakes the workers at once and this look only catches retries coming due)"
        ),
    )
    parse_timeout_s: float = 120.0
    parse_memory_mb: int = 1536
    ocr_timeout_s: float = Field(900.0, description="Budget of one searchable-PDF derivative (OCRmyPDF)")
    searchable_pdf: bool = Field(
        True,
        description=(
            "Make a searchable PDF/A (OCRmyPDF) beside each scanned original once it is read; off: the scan's text "
            "is still read, searched and checked, only the derivative is not made (it costs a second OCR pass)"
        ),
    )
    signature_trust_dir: Path | None = Field(
        None,
        description=(
            "Folder of the trust anchors digital signatures are verified against (PEM/DER root certificates, "
            "and .crl revocation lists); none shipped: without it a signature's chain is reported as not checked"
        ),
    )
    page_images: bool = Field(
        True, description="Render each document's pages (previews, boxed findings); off: the text view only"
    )
    job_lease_s: float = Field(
        60.0,
        gt=0,
        description=(
            "A running job whose worker gave no sign of life for this long (its heartbeat, renewed every "
            "quarter of it while the job runs) is taken again by another worker"
        ),
    )
    ocr_page_jobs: bool = Field(
        True,
        description=(
            "Split a scan's pages without a text layer into one job per page, recognised by any worker and "
            "then joined; off: the whole document is recognised in one job"
        ),
    )
    token_cache_s: float = Field(
        5.0,
        ge=0,
        description=(
            "Seconds an API token's user is remembered in a process without a catalog look-up (0: never). A "
            "revocation or a change to the user (disabled, role, office, clearance) empties it at once in the "
            "process that made it; other processes see it within this many seconds"
        ),
    )
    metrics_token: str = Field(
        "",
        description=(
            "Bearer token Prometheus must send to read /metrics; empty: /metrics answers only to the machine "
            "itself (127.0.0.1, ::1)"
        ),
    )
    job_max_attempts: int = Field(5, ge=1, description="Tries of a failing job before it is marked failed")
    job_keep_done_days: float = Field(7.0, ge=0, description="Done jobs older than this are deleted by the workers")

    @field_validator("environment", "blob_backend", "search_backend", mode="before")
    @classmethod
    def _fold_choice(cls, value: Any) -> Any:
        """``Production``, `` PRODUCTION `` and ``production`` are one value; anything unknown stays refused."""
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _secret_files(cls, data: Any) -> Any:
        """``ARCHIVE_<NAME>_FILE`` names a file holding the secret (one trailing newline dropped)."""
        if not isinstance(data, dict):
            return data
        for name in SECRET_FILE_FIELDS:
            variable = f"ARCHIVE_{name.upper()}_FILE"
            path = os.environ.get(variable)
            if not path:
                continue
            if name in data and data[name] not in (None, ""):
                raise ValueError(
                    f"ARCHIVE_{name.upper()} và {variable} — chỉ đặt một trong hai / set only one of the two"
                )
            try:
                data[name] = Path(path).read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
            except OSError as exc:
                raise ValueError(
                    f"{variable}={path} — không đọc được tệp / cannot read the file ({exc.strerror})"
                ) from None
        return data

    @model_validator(mode="after")
    def _require_s3_keys(self) -> Settings:
        if self.blob_backend is BlobBackend.S3 and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError(
                "ARCHIVE_S3_ACCESS_KEY, ARCHIVE_S3_SECRET_KEY — bắt buộc khi ARCHIVE_BLOB_BACKEND=s3"
                " / required with ARCHIVE_BLOB_BACKEND=s3"
            )
        return self

    @property
    def production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def resolved_database_url(self) -> str:
        """The catalog URL: the configured one, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'catalog.sqlite3').resolve()}"

    @property
    def resolved_blob_dir(self) -> Path:
        return self.blob_dir if self.blob_dir is not None else self.data_dir / "blobs"

    @property
    def resolved_transfer_dir(self) -> Path:
        return self.transfer_dir if self.transfer_dir is not None else self.data_dir / "transfers"

    @property
    def spool_root(self) -> Path:
        """The spool every process on this data folder shares, one folder per process ("host-pid") in it."""
        return self.data_dir / "spool"

    @property
    def spool_dir(self) -> Path:
        """This process's own spool folder (uploads, copies being parsed or sent): what a process killed
        mid-request leaves there is removed by the next start on its machine (``storage.spool_sweep``)."""
        return self.spool_root / f"{socket.gethostname()}-{os.getpid()}"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, parsed once; raises ``ValidationError`` on a bad value."""
    settings = Settings()
    for name in RETIRED_VARIABLES:
        if name in os.environ:
            log.warning("%s không còn được dùng, hãy xóa / is no longer used, remove it", name)
    return settings


def describe_invalid(exc: ValidationError) -> list[str]:
    """One line per bad setting, in Vietnamese and English, naming the variable and what it must be."""
    return [_describe(error) for error in exc.errors()]


def _describe(error: Any) -> str:
    loc = error.get("loc") or ()
    if not loc:  # a rule across settings: its message names the variables
        cause = (error.get("ctx") or {}).get("error")
        return f"{INVALID_PREFIX}: {cause if cause is not None else error.get('msg', '')}"
    field = str(loc[0])
    variable = f"ARCHIVE_{field.upper()}"
    shown = "(ẩn / hidden)" if field in _HIDDEN_FIELDS else repr(error.get("input"))
    return f"{INVALID_PREFIX}: {variable}={shown} — {_expectation(field, error)}"


def _expectation(field: str, error: Any) -> str:
    """What a value of ``field`` must be, from pydantic's error type."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "enum":
        choices = _choices(field)
        if choices:
            return f"phải là {' hoặc '.join(choices)} / must be {' or '.join(choices)}"
    if kind == "int_parsing":
        return "phải là số nguyên / must be a whole number"
    if kind == "float_parsing":
        return "phải là số / must be a number"
    if kind == "bool_parsing":
        return "phải là true hoặc false / must be true or false"
    if kind == "greater_than_equal":
        return f"phải lớn hơn hoặc bằng {ctx.get('ge')} / must be at least {ctx.get('ge')}"
    return f"giá trị không hợp lệ / {error.get('msg', 'invalid value')}"


def _choices(field: str) -> list[str]:
    """The values of an enum setting, in declaration order."""
    info = Settings.model_fields.get(field)
    annotation = info.annotation if info is not None else None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return []
