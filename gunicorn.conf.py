"""gunicorn settings, read when ``gunicorn wsgi:app`` starts in this folder.

They are ``catalogue.server``'s, the same that ``svcat serve`` and ``svcat demo`` run with
(why each is set is said there): the worker timeout raised above what a page's queries
may take, event-loop (``gevent``) workers so idle and slow clients hold no thread, no
control socket, and every template compiled before a worker takes requests. Options on
the command line still win (docs/serving.md).
"""

from catalogue.gunicorn_conf import *  # noqa: F401,F403 (the settings and the post_worker_init hook)
from catalogue.server import SETTINGS

globals().update(SETTINGS)  # gunicorn reads this module's names; it skips those it does not know
