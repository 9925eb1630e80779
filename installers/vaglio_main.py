"""Entry point of the bundled ``vaglio`` executable: the command line, and the
window when run with no command (as ``vaglio`` from a checkout).

``VAGLIO_BUNDLE_CHECK=1`` runs the bundle's self-check instead (see
``vaglio_bundle_check.py``); the smoke test uses it.
"""

import os
import sys

if __name__ == "__main__":
    if os.environ.get("VAGLIO_BUNDLE_CHECK") == "1":
        from vaglio_bundle_check import main as bundle_check

        sys.exit(bundle_check())

    from app.main import main

    sys.exit(main())
