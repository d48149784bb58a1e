"""Alembic migration scripts for the dhr-desk schema (run by dhr_desk.store.schema).

``HEAD_REVISION`` lets a start-up at the current schema skip loading Alembic altogether; a test
keeps it equal to the newest script's revision.
"""

HEAD_REVISION = "0005"
