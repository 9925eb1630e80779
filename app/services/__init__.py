"""Use cases: the only API the GUI and the CLI call.

Submodules are imported where they are used; this package imports nothing, so
that importing one use case does not load them all.
"""
