"""Production entry point: ``gunicorn wsgi:app`` (configuration from SVCAT_* variables).

The app lives in the package (``catalogue.wsgi``), so an installed wheel serves it too."""

from catalogue.wsgi import app  # noqa: F401
