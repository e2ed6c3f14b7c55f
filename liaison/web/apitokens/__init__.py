"""API tokens: the secret a program sends to use the JSON API as a user (stored as sha256)."""
