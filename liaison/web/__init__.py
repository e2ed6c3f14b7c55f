"""The web application: settings, URLs, views and templates."""
