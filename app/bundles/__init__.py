"""The artefacts exchanged between laptops and the city office.

Enrollment card, call package, score bundle, receipt: each a DSSE envelope
with a versioned payload type; call packages and score bundles are then
sealed. Classes here validate in their constructors and keep the bytes they
were parsed from; ``policy`` decides whether a verified artefact is acceptable
given what the workspace already knows (roster, sequence numbers).
docs/formats.md specifies every format.
"""
