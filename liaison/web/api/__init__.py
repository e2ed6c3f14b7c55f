"""The JSON API: counterparts, exchanges, mechanisms, sources and claims, with OpenAPI."""
