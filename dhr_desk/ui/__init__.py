"""PySide6 views and dialogs. They call workflows services only: no session, no ORM here."""
