"""Views of the web app, one module per area; every view names the capability it needs."""
