"""Synchronisation with the city office, submission, receipts and the
completeness view."""
