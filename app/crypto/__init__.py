"""Identities, fingerprints, signing and sealing (no I/O, no database)."""
