"""The Qt interface (PySide6). The only package that imports Qt.

Widgets never touch a session or a model: they call use cases through the one
database worker (:mod:`app.ui.common.worker`) and show the plain values they return.
"""
