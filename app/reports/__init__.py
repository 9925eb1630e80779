"""PDF documents (reportlab) built from plain view objects, never from sessions."""
