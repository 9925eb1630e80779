"""Entry point of the windowed executable (``vaglio-gui.exe`` on Windows, the
``Vaglio.app`` main executable on macOS): a window with no console behind it.
It accepts the same arguments as ``vaglio``; with none it opens the
application, as the Start menu, the Dock and a double click expect.
"""

import sys

if __name__ == "__main__":
    from app.main import main

    # Older macOS passes a process serial number to apps started from Finder.
    sys.exit(main([arg for arg in sys.argv[1:] if not arg.startswith("-psn_")]))
