"""Tests of everything below the services: rules, store, crypto, bundles, sync,
reports, and the shared leaves; and of the layers themselves."""
