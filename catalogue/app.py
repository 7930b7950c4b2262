"""The Flask app factory: configuration, the store, blueprints and error handlers.

Configuration comes from ``catalogue.store.settings`` defaults, then ``SVCAT_*`` environment
variables, then ``test_config``; nothing is read at import time. The store is opened
lazily in each process (``web.get_store``), so gunicorn workers forked from one app
each open their own read-only view of the published snapshot.
"""

from __future__ import annotations

from flask import Flask

from catalogue import iris
from catalogue.store.settings import settings


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update({f"SVCAT_{k}": v for k, v in settings().items()})
    if test_config:
        app.config.update(test_config)
    app.config["SVCAT_BASE_URI"] = iris.normalise_base(app.config["SVCAT_BASE_URI"])
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or app.config["SVCAT_MAX_QUERY_BYTES"]

    from catalogue import web

    web.init_app(app)
    return app
