"""Migrations of the web app: indexes its lists need on the store's tables."""
