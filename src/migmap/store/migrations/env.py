"""Alembic environment: migrations run on the connection migmap hands over."""

from alembic import context

from migmap.store.tables import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migmap always passes a connection
    raise RuntimeError("run migrations through `migmap db upgrade`")

context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
