"""Press archives into the ledger: read, extract, resolve, deduplicate, record for review."""
