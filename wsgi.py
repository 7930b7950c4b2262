"""Production entry point: ``gunicorn wsgi:app`` (configuration from SVCAT_* variables)."""

from catalogue.app import create_app

app = create_app()
