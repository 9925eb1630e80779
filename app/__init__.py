"""Vaglio: evaluation of a civic crowdfunding call by its commission.

The package is layered (see docs/architecture.md); only ``app.ui`` and the GUI
entry point import PySide6.
"""

__version__ = "0.1.0"
