"""``vaglio minutes``, ``sign`` and ``signatures``: print (and sign) the minutes,
add a signature, check a signed PDF. The sittings: app.cli.sittings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.progress import ProgressLine
from app.cli.support import (
    CommandTree,
    open_workspace,
    print_json,
    print_table,
    secret_or_prompt,
    yes_no,
)
from app.i18n import LANGUAGES, _, format_datetime, set_language


def _key(args: argparse.Namespace) -> Any:
    from app.services.minutes import Pkcs11Key, Pkcs12Key

    if args.sign:
        prompt = _("Passphrase of the PKCS#12 file: ")
        passphrase = secret_or_prompt(args.sign_passphrase_file, "--sign-passphrase-file", prompt)
        return Pkcs12Key(Path(args.sign), passphrase)
    if args.pkcs11:
        pin = secret_or_prompt(args.pin_file, "--pin-file", _("PIN of the token: "))
        return Pkcs11Key(args.pkcs11, pin, args.token or "", args.key or "")
    return None


def _check_level(args: argparse.Namespace) -> None:
    """Refuse a level that needs a time-stamp server without one, before any secret."""
    from app.services.minutes import signature_level

    if args.level and (args.sign or args.pkcs11):
        signature_level(args.level, args.timestamp_url)


def cmd_minutes(args: argparse.Namespace) -> int:
    from app.services.minutes import write_minutes

    if args.language:
        set_language(args.language)
    if args.sign and args.pkcs11:
        args.parser.error(_("--sign and --pkcs11 exclude each other"))
    _check_level(args)
    with open_workspace(args) as ws:
        from app.services.minutes import minutes_view

        with ProgressLine() as progress:
            progress(_("Reading the approved ranking…"))
            minutes_view(ws, args.call_id)  # refused before approval: ask for no secret
        key = _key(args)
        with ProgressLine() as progress:
            result = write_minutes(
                ws,
                args.call_id,
                Path(args.out),
                key=key,
                field=args.field,
                timestamp_url=args.timestamp_url,
                level=args.level,
                progress=progress,
            )
    print(
        _("Minutes of {call_id} written to {path}: {pages} pages.").format(
            call_id=args.call_id, path=result.path, pages=result.pages
        )
    )
    if result.signed_by:
        print(
            _("Signed by {signer} in the field {field}.").format(
                signer=result.signed_by, field=result.field
            )
        )
    else:
        print(_("Signature fields: {fields}.").format(fields=", ".join(result.fields)))
    print(f"SHA-256: {result.sha256}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    """Add one signature to a PDF already made (a member signing on their own laptop)."""
    from app.services.minutes import sign_file

    if bool(args.sign) == bool(args.pkcs11):
        args.parser.error(_("give either --sign P12 or --pkcs11 MODULE"))
    _check_level(args)
    key = _key(args)
    with ProgressLine() as progress:
        signed = sign_file(
            Path(args.pdf),
            Path(args.out),
            key,
            field=args.field,
            timestamp_url=args.timestamp_url,
            level=args.level,
            progress=progress,
        )
    print(
        _("Signed by {signer} in the field {field}.").format(
            signer=signed.signer, field=signed.field
        )
    )
    print(_("Written to {path}.").format(path=args.out))
    return 0


def cmd_signatures(args: argparse.Namespace) -> int:
    from app.services.files import read_input
    from app.services.minutes import verify_signatures

    data = read_input(args.pdf)
    reports = verify_signatures(data, [Path(p) for p in args.trust or ()])
    if args.json:
        print_json(
            {
                "file": args.pdf,
                "signatures": [
                    {"field": r.field, "signer": r.signer, "subject": r.subject,
                     "issuer": r.issuer,
                     "signing_time": r.signing_time.isoformat() if r.signing_time else None,
                     "timestamp": r.timestamp.isoformat() if r.timestamp else None,
                     "intact": r.intact, "valid": r.valid, "trusted": r.trusted,
                     "coverage": r.coverage, "modifications": r.modifications,
                     "problem": r.problem, "level": r.level or None}
                    for r in reports
                ],
            }
        )  # fmt: skip
    elif not reports:
        print(_("{path} holds no signature.").format(path=args.pdf))
    else:
        from app.services.signature_labels import coverage_label, level_label, verdict

        headers = [_("field"), _("signer"), _("signed at"), _("level"), _("intact"), _("valid"),
                   _("trusted")]  # fmt: skip
        rows = [
            [r.field, r.signer, format_datetime(r.signing_time) if r.signing_time else "—",
             level_label(r), yes_no(r.intact), yes_no(r.valid), yes_no(r.trusted)]
            for r in reports
        ]  # fmt: skip
        print_table(headers, rows)
        print()
        for r in reports:
            print(
                _("{field}: {verdict}; covers {coverage}").format(
                    field=r.field, verdict=verdict(r), coverage=coverage_label(r)
                )
            )
            if r.timestamp:
                print("  " + _("time-stamp: {moment}").format(moment=format_datetime(r.timestamp)))
            if r.problem:
                print(f"  {r.problem}")
    # Sound (intact, valid, nothing but form filling or signatures after it),
    # and trusted when the user named the roots to trust.
    trusted = bool(args.trust)
    return 0 if reports and all(r.sound and (r.trusted or not trusted) for r in reports) else 1


def _signing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sign", metavar="P12", help=_("sign with this PKCS#12 file"))
    parser.add_argument(
        "--sign-passphrase-file", metavar="F", help=_("file holding the PKCS#12 passphrase")
    )
    parser.add_argument("--pkcs11", metavar="MODULE", help=_("sign with a PKCS#11 token"))
    parser.add_argument("--token", metavar="LABEL", help=_("the token's label"))
    parser.add_argument("--key", metavar="LABEL", help=_("the key's label on the token"))
    parser.add_argument("--pin-file", metavar="F", help=_("file holding the token's PIN"))
    parser.add_argument("--field", metavar="NAME", help=_("the signature field to fill"))
    parser.add_argument("--timestamp-url", metavar="URL", help=_("RFC 3161 time-stamp server"))
    parser.add_argument(
        "--level",
        choices=["b-b", "b-t", "b-lt", "b-lta"],
        help=_(
            "PAdES level: b-b, b-t (time-stamp), b-lt (and validation data), b-lta (and a "
            "document time-stamp); b-t, b-lt and b-lta need --timestamp-url. Default: b-t "
            "with --timestamp-url, b-b without"
        ),
    )


def register(tree: CommandTree) -> None:
    add, commands = tree.command, tree.commands
    minutes = add(commands, "minutes", cmd_minutes, _("print the evaluation minutes (PDF)"))
    minutes.add_argument("call_id", metavar="CALL_ID")
    minutes.add_argument("--out", required=True, metavar="F.pdf", help=_("the PDF to write"))
    _signing_options(minutes)
    minutes.add_argument("--language", choices=list(LANGUAGES), help=_("language of the minutes"))

    sign = add(commands, "sign", cmd_sign, _("add a signature to minutes already made"))
    sign.add_argument("pdf", metavar="FILE.pdf")
    sign.add_argument("--out", required=True, metavar="F.pdf", help=_("the signed PDF to write"))
    _signing_options(sign)

    signatures = add(
        commands, "signatures", cmd_signatures, _("check the signatures of a signed PDF")
    )
    signatures.add_argument("pdf", metavar="FILE.pdf")
    signatures.add_argument(
        "--trust", action="append", metavar="CERT", help=_("a trusted root certificate")
    )
    signatures.add_argument("--json", action="store_true", help=_("machine-readable output"))
