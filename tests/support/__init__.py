"""Helpers shared by the tests that are libraries rather than fixtures."""
