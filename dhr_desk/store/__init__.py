"""Engine and session factory, schema migrations, backups and the store's error taxonomy."""
