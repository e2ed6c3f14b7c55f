"""The ledger: the Django app that is the source of truth for counterparts and exchanges."""
