"""Django app configuration of the API tokens."""

from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    """The app that stores API tokens."""

    name = "liaison.web.apitokens"
    label = "apitokens"
    verbose_name = "API tokens"
    default_auto_field = "django.db.models.BigAutoField"
