"""The first run: the wizard that creates a workspace, and joining a call with an invitation."""
