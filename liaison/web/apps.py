"""Django app configuration of the web application."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web app (templates and views)."""

    name = "liaison.web"
    label = "web"
