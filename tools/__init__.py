"""Developer tools: not part of the application (the catalogue builder)."""
