"""Document builders. They take plain data from workflows and never open a session."""
