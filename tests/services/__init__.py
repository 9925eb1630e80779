"""Tests of the use cases, on real encrypted workspaces."""
