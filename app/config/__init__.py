"""This machine's side of Vaglio, outside any workspace: where workspaces and
preferences live (per OS), the preferences themselves, and how a private file
is written atomically. Plain configuration, nothing encrypted: the store and
the services build on it; the screens and the command line reach it through
:mod:`app.services.preferences`."""
