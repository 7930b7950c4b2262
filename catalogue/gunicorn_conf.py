"""gunicorn settings importable from the installed package:
``gunicorn -c python:catalogue.gunicorn_conf catalogue.wsgi:app``.

They are ``catalogue.server``'s, the same that ``svcat serve`` and ``svcat demo`` run with
(why each is set is said there); the repository's ``gunicorn.conf.py`` reads this module.
"""

from catalogue.server import SETTINGS, post_worker_init  # noqa: F401 (post_worker_init: a gunicorn hook)

globals().update(SETTINGS)  # gunicorn reads this module's names; it skips those it does not know
