"""WSGI entry point of the web app (what gunicorn serves)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uncounted.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
