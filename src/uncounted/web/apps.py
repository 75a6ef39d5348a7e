"""The web app's Django app: templates, static files, translations and template tags."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "uncounted.web"
    label = "web"
    verbose_name = "uncounted casebook"
