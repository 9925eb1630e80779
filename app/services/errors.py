"""Refusals of the use cases, each with a sentence people can act on."""

from __future__ import annotations

from app.errors import Problem, ProblemsError, VaglioError, echo
from app.i18n import _, n_
from app.labels import role_label


class ServiceError(VaglioError):
    """Base of every use-case refusal."""


class ImportRefusedError(ProblemsError):
    def __init__(self, source: str, problems: list[Problem]) -> None:
        summary = n_(
            "{source} refused ({count} problem), nothing imported",
            "{source} refused ({count} problems), nothing imported",
            len(problems),
        ).format(source=source, count=len(problems))
        super().__init__(source, problems, summary)


class CallExistsError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("A call with id {call_id} already exists: nothing was changed.").format(
                call_id=echo(call_id)
            )
        )


class UnknownCallError(ServiceError):
    def __init__(self, call_id: str) -> None:
        super().__init__(
            _("There is no call {call_id} in this workspace.").format(call_id=echo(call_id))
        )


class UnknownProposalError(ServiceError):
    def __init__(self, call_id: str, code: str) -> None:
        super().__init__(
            _("Call {call_id} has no proposal {proposal}.").format(
                call_id=echo(call_id), proposal=echo(code)
            )
        )


class RoleError(ServiceError):
    def __init__(self, needed: str) -> None:
        super().__init__(
            _("This needs a workspace with the role {role}.").format(role=role_label(needed))
        )


class InputFileError(ServiceError):
    def __init__(self, path: str, detail: str) -> None:
        super().__init__(_("Cannot read {path}: {detail}.").format(path=path, detail=detail))


def __getattr__(name: str) -> object:
    # The rulebook's refusal, without loading the rulebook (and Babel) before
    # the main window is on screen: most importers of this module never need it.
    if name == "CallDefinitionError":
        from app.models.definition import CallDefinitionError

        return CallDefinitionError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Problem",
    "ProblemsError",
    "ServiceError",
    "role_label",
]
