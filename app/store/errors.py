"""Refusals of the encrypted workspace, each with its own sentence."""

from __future__ import annotations

from pathlib import Path

from app.errors import VaglioError, echo
from app.i18n import _


class StoreError(VaglioError):
    """Base of every workspace refusal."""


class WorkspaceMissingError(StoreError):
    def __init__(self, home: Path) -> None:
        super().__init__(
            _("There is no workspace in {folder}: create one with 'vaglio init'.").format(
                folder=home
            )
        )


class WorkspaceExistsError(StoreError):
    def __init__(self, home: Path) -> None:
        super().__init__(
            _("A workspace already exists in {folder}: it was left untouched.").format(folder=home)
        )


class WrongPassphraseError(StoreError):
    def __init__(self) -> None:
        super().__init__(_("Wrong passphrase: the workspace stays locked."))


class WrongRecoveryCodeError(StoreError):
    def __init__(self) -> None:
        super().__init__(_("Wrong recovery code: the workspace stays locked."))


class WrongSecretError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            _("Neither the passphrase nor the recovery code: the workspace stays locked.")
        )


class WrongKeyError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The key does not open this workspace's database: "
                "unlock with the passphrase or the recovery code."
            )
        )


class PassphraseTooShortError(StoreError):
    def __init__(self, minimum: int) -> None:
        super().__init__(
            _("The passphrase is too short: use at least {minimum} characters.").format(
                minimum=minimum
            )
        )


class NoSlotError(StoreError):
    def __init__(self, slot: str) -> None:
        super().__init__(_("This workspace has no {slot} key slot.").format(slot=slot_label(slot)))


class KeyringUnavailableError(StoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "The system keyring is not available ({detail}): "
                "unlock with the passphrase instead."
            ).format(detail=echo(detail, 100))
        )


class KeyringInsecureError(StoreError):
    def __init__(self, backend: str) -> None:
        super().__init__(
            _(
                "The system keyring ({backend}) is not a safe one: Vaglio keeps no key in it, "
                "and the passphrase will be asked for to open the workspace."
            ).format(backend=backend)
        )


class KeyringLockedError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            _("The system keyring is locked: unlock it, or unlock with the passphrase.")
        )


class KeyringEntryMissingError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The system keyring holds no key for this workspace: "
                "unlock with the passphrase or the recovery code."
            )
        )


class NoSecretError(StoreError):
    """No secret to open with. ``note`` says why the keyring did not give
    one, when that is news (an unsafe keyring refused): screens show it."""

    def __init__(self, note: str = "") -> None:
        super().__init__(
            _(
                "No passphrase given and no terminal to ask for one: "
                "use --passphrase-file or VAGLIO_PASSPHRASE."
            )
        )
        self.note = note


class KeySlotsCorruptError(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            _("The key slots file {path} is damaged or was tampered with: {detail}.").format(
                path=path, detail=detail
            )
        )


class CipherProfileError(StoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The workspace database is not protected as required: {detail}.").format(
                detail=detail
            )
        )


class NewerWorkspaceError(StoreError):
    def __init__(self, revision: str) -> None:
        super().__init__(
            _(
                "This workspace was written by a newer version of Vaglio (schema {revision}): "
                "update Vaglio to open it."
            ).format(revision=echo(revision))
        )


class DatabaseDamagedError(StoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The workspace database cannot be read ({detail}).").format(detail=detail)
        )


class WorkspaceDamagedError(StoreError):
    """The workspace database is damaged: one sentence saying how, then where
    the most recent backup is (or that there is none). Never a wrong key."""

    def __init__(self, sentence: str, backup: Path | None) -> None:
        self.sentence = sentence
        self.backup = backup
        super().__init__(f"{sentence} {backup_hint(backup)}")


class DatabaseFileMissingError(WorkspaceDamagedError):
    def __init__(self, path: Path, backup: Path | None) -> None:
        super().__init__(
            _("The workspace database {path} is missing: its key slots are there, its data is not.")
            .format(path=path),
            backup,
        )  # fmt: skip


class DatabaseEmptyError(WorkspaceDamagedError):
    def __init__(self, path: Path, backup: Path | None) -> None:
        super().__init__(
            _("The workspace database {path} is empty (0 bytes).").format(path=path), backup
        )


class DatabaseTruncatedError(WorkspaceDamagedError):
    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        self.detail = detail
        super().__init__(
            _("The workspace database {path} is truncated: {detail}.").format(
                path=path, detail=detail
            ),
            backup,
        )


class DatabaseHeaderDamagedError(WorkspaceDamagedError):
    def __init__(self, path: Path, backup: Path | None) -> None:
        super().__init__(
            _(
                "The first page of the workspace database {path} (its header) is damaged: "
                "the key is right, the page was altered."
            ).format(path=path),
            backup,
        )


class DatabasePageDamagedError(WorkspaceDamagedError):
    def __init__(self, path: Path, page: int, backup: Path | None) -> None:
        self.page = page
        super().__init__(
            _(
                "Page {page} of the workspace database {path} is damaged: "
                "its authentication code does not match its content."
            ).format(page=page, path=path),
            backup,
        )


class DatabaseReadDamagedError(WorkspaceDamagedError):
    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        self.detail = detail
        super().__init__(
            _(
                "The workspace database {path} is damaged: a read failed ({detail}), "
                "and what it returned is not shown."
            ).format(path=path, detail=detail),
            backup,
        )


def backup_hint(backup: Path | None) -> str:
    """Where the most recent backup is, as a sentence."""
    if backup is None:
        return _("There is no backup of this workspace.")
    return _("The most recent backup is {path}.").format(path=backup)


class AuditChainBrokenError(StoreError):
    def __init__(self, seq: int) -> None:
        super().__init__(
            _("The audit log has been altered: entry {seq} does not match the chain.").format(
                seq=seq
            )
        )


def slot_label(slot: str) -> str:
    """A key slot type as people call it."""
    labels = {
        "passphrase": _("passphrase"),
        "recovery": _("recovery code"),
        "keyring": _("system keyring"),
    }
    return labels.get(slot, slot)
