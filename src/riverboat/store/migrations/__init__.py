"""Alembic migrations of the store, run by ``riverboat.store.migrate`` (``Store.open``)."""
