"""Alembic environment: runs migrations on the engine handed in by archive_service.catalog.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from archive_service.catalog.models import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through archive_service.catalog.db.upgrade")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
