"""The domain: rules and the application services the UI and the CLI call. No Qt here."""
