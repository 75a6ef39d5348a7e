"""The casebook web app: testimony entry, review and dashboards, in Korean and English.

A Django project built on the case store (:mod:`uncounted.store`): server-rendered
templates with htmx for live previews, a JSON API under ``/api/``, and roles that decide
who sees what (:mod:`uncounted.web.roles`). Start it with ``uncounted serve``.
"""
