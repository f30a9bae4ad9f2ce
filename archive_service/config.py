"""One settings object, read once from the environment (prefix ``ARCHIVE_``)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Final

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET: Final = "change-me-in-production"


class BlobBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class SearchBackend(StrEnum):
    FTS5 = "fts5"
    ELASTICSEARCH = "elasticsearch"


class Settings(BaseSettings):
    """Every setting has a default that runs the service on a bare laptop (SQLite, a local folder)."""

    model_config = SettingsConfigDict(env_prefix="ARCHIVE_", env_file=None, extra="ignore")

    environment: str = Field("development", description="development | production")
    data_dir: Path = Field(Path("archive-data"), description="Where the embedded defaults write everything")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default SQLite in data_dir")
    blob_backend: BlobBackend = BlobBackend.LOCAL
    blob_dir: Path | None = Field(None, description="Local blob folder; default data_dir/blobs")
    s3_endpoint: str = "127.0.0.1:8333"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "archive-originals"
    s3_secure: bool = False
    s3_region: str | None = None
    search_backend: SearchBackend = SearchBackend.FTS5
    es_url: str = "http://127.0.0.1:9200"
    es_index_prefix: str = "archive-documents"
    search_refresh: bool = Field(False, description="Make every index write searchable at once (tests)")
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: int = Field(100, ge=1, description="Largest accepted file, in MB")
    max_files_per_upload: int = Field(200, ge=1)
    workers: int = Field(1, ge=0, description="Background parse/check threads in the serve process")
    parse_timeout_s: float = 120.0
    parse_memory_mb: int = 1536
    ocr_timeout_s: float = Field(900.0, description="Budget of one searchable-PDF derivative (OCRmyPDF)")
    job_lease_s: float = Field(
        1200.0, description="A running job not finished after this long (its worker died) is taken again"
    )
    job_max_attempts: int = Field(5, ge=1, description="Tries of a failing job before it is marked failed")
    secret_key: str = DEFAULT_SECRET

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("ARCHIVE_SECRET_KEY must be set in production")
        if self.blob_backend is BlobBackend.S3 and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError("ARCHIVE_S3_ACCESS_KEY and ARCHIVE_S3_SECRET_KEY are required with S3")
        return self

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
    def spool_dir(self) -> Path:
        """Uploads are streamed here before they are stored."""
        return self.data_dir / "spool"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, parsed once."""
    return Settings()
