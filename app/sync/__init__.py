"""Moving files between a workspace and a remote (shared folder or WebDAV).

Knows nothing of scoring: transports put, get and list opaque files; the
engine retries with back-off and stops when asked. Safety comes from the
signatures and the sealing of what is moved, not from the share.
"""
