"""liaison: the ledger of party-to-party and state diplomacy."""

__version__ = "0.1.0"
