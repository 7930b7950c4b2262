"""gunicorn settings, and gunicorn started from Python for ``svcat serve`` and ``svcat demo``.

Why here and not only in ``gunicorn.conf.py``: a user's first contact with the service is
``svcat demo``, and it should be served the way production is (real gunicorn workers with
their own query workers, the raised worker timeout, threaded workers, templates compiled
at start), not by Flask's development server. ``gunicorn.conf.py`` is read only when
``gunicorn wsgi:app`` starts in the repository folder; both it and the CLI take their
settings from this one module, so the two ways to serve cannot drift apart.

The settings, and why each:

- ``timeout = 120``: a page may run several queries, each allowed ``SVCAT_QUERY_TIMEOUT``
  (30 s by default) before it is stopped and the page answers 503. gunicorn's own worker
  timeout (30 s by default) would kill the web worker first and answer a bare 500.
- ``worker_class = "gevent"``, ``worker_connections = 1000``: each connection is a
  greenlet, not a thread, so clients that connect and send nothing, or send their request
  a byte at a time, cost a few kilobytes each and never stop the others from being served
  (with the threaded ``gthread`` worker, four idle connections held all four threads and
  ``GET /`` waited until they gave up; ``tests/test_slow_clients.py`` holds 16 idle and 8
  slow connections open and asks for ``/``). What a request waits on cooperates with the
  event loop: its query worker's pipe (``select``), the remote store's HTTP, files sent
  from disk (cached dumps). Queries run in the web process only once proven to take a few
  milliseconds (``catalogue.store.cheap``); the rest in query workers (``catalogue.store.pool``),
  so one heavy query does not stop the loop. ``docs/serving.md`` says more, with figures.
- ``keepalive = 5``: an idle kept-alive connection is closed after five seconds.
- Per-client limits (``catalogue.web.throttle``) keep greedy clients from using every query
  worker; they are app settings, not gunicorn's.
"""

from __future__ import annotations

SETTINGS = {
    "timeout": 120,
    "graceful_timeout": 30,
    "worker_class": "gevent",
    "worker_connections": 1000,
    "keepalive": 5,
    # gunicorn 27's control socket (one fixed path under ~/.gunicorn) stays off: two servers
    # on one machine would fight over it, and nothing here uses it. Older gunicorn has no such
    # setting; its config file loader skips names it does not know.
    "control_socket_disable": True,
    # One JSON line per request (catalogue.access_log): request id, no query secrets, no headers.
    "logger_class": "catalogue.access_log.JsonAccessLogger",
    "accesslog": "-",
}


def post_worker_init(worker) -> None:
    """Compile every page template and draw one tiny chart before the worker takes requests.

    Why: the first reader of a page after a restart (or a new worker) paid for Jinja
    compiling its templates (about half a second for a council or organisation page on
    a busy machine) and the first reader of a chart for importing matplotlib and building
    its font cache (about a second). A worker pays both once, at start, instead.
    """
    app = getattr(worker, "wsgi", None)
    env = getattr(app, "jinja_env", None)
    if env is not None:
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)
    from catalogue import charts

    charts.bars_by_month(["2024-01"], [1], "warm-up")


def serve(config: dict, *, host: str, port: int, workers: int) -> None:
    """Run gunicorn in this process (its arbiter; the workers are forked) until stopped.

    Each worker builds its own app from ``config`` after the fork (no ``preload_app``), so
    each opens the embedded store read-only and starts its own query workers, exactly as
    ``gunicorn wsgi:app`` does. Ctrl-C (SIGINT) or SIGTERM stops the workers gracefully.
    """
    from gunicorn.app.base import BaseApplication

    class CatalogueApplication(BaseApplication):
        """gunicorn's documented way to embed it: settings from ``load_config``, app from ``load``."""

        def load_config(self):
            options = dict(SETTINGS, bind=[f"{host}:{port}"], workers=workers,
                           post_worker_init=post_worker_init, accesslog="-")
            for key, value in options.items():
                if key in self.cfg.settings:  # as gunicorn's own config file loader does
                    self.cfg.set(key, value)

        def load(self):
            from catalogue.app import create_app

            return create_app(config)

    CatalogueApplication().run()
