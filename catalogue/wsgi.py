"""Production entry point of the installed package: ``gunicorn catalogue.wsgi:app``.

Settings come from ``SVCAT_*`` variables (``catalogue.store.settings``); the repository's
top-level ``wsgi.py`` re-exports this ``app`` so ``gunicorn wsgi:app`` works in a checkout.
"""

from catalogue.app import create_app

app = create_app()
