"""Secrets in the OS keyring and the embedded database's key."""
