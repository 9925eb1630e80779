"""The rulebook, its scoring methods and the one number reader, for the screens
and the command line (which import only services)."""

from __future__ import annotations

from app.errors import echo
from app.models.definition import CallDefinition, CallDefinitionError
from app.models.methods import METHODS, ScoringMethod
from app.models.numbers import NumberError, read_amount, read_number
from app.models.rules import ALLOCATIONS, OVERSHOOTS, RESCALES, ROUNDINGS, TIES

__all__ = [
    "ALLOCATIONS",
    "METHODS",
    "OVERSHOOTS",
    "RESCALES",
    "ROUNDINGS",
    "TIES",
    "CallDefinition",
    "CallDefinitionError",
    "NumberError",
    "ScoringMethod",
    "echo",
    "read_amount",
    "read_number",
]
