"""Analytics: pure functions over ledger rows (figures, coverage, network, claims vs record)."""
