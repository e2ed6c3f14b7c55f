"""Django app configuration of the ledger."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    """The ledger app."""

    name = "liaison.ledger"
    label = "ledger"
    verbose_name = "Ledger"
    default_auto_field = "django.db.models.BigAutoField"
