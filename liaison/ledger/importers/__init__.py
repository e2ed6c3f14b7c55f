"""Importers of outside files into the ledger: each idempotent, reversible, with a dry run."""
