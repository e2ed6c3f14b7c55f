"""Reference data written by us and shipped with liaison: countries, groups, actors, mechanisms.

This package holds data files and a reader that needs only the standard library, so that
both the ledger (which loads them into the database) and extraction (which matches names
against them) can use it.
"""
