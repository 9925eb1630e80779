"""The encrypted workspace: SQLCipher database, key slots, migrations, audit log."""
