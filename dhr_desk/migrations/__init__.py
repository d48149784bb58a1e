"""Alembic migration scripts for the dhr-desk schema (run by dhr_desk.store.schema)."""
