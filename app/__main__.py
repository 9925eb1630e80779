"""``python -m app`` is the same as the ``vaglio`` command."""

from app.cli import main

raise SystemExit(main())
