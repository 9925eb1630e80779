"""``python -m app`` is the same as the ``vaglio`` command."""

from app.main import main

raise SystemExit(main())
