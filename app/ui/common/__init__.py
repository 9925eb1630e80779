"""The pieces every screen shares: the application object, the database worker
and the op runner, item-model and widget helpers."""
