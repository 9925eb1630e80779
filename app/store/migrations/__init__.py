"""Alembic migrations of the workspace schema (run by ``app.store.schema``)."""
