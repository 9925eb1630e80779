"""The main window, the session that owns it, unlocking and choosing a
workspace, the idle lock, settings and About."""
