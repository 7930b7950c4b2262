"""gunicorn settings, read when ``gunicorn wsgi:app`` starts in this folder.

They are ``catalogue.server``'s, the same that ``svcat serve`` and ``svcat demo`` run with
(why each is set is said there): the worker timeout raised above what a page's queries
may take, threaded (``gthread``) workers with two threads matching each web process's two
query workers, no control socket, and every template compiled before a worker takes
requests. Options on the command line still win; ``--worker-class sync`` trades throughput for a steadier latency
on a machine busy with other work (README, *Scale*).
"""

from catalogue.server import SETTINGS, post_worker_init  # noqa: F401 (post_worker_init: a gunicorn hook)

globals().update(SETTINGS)  # gunicorn reads this module's names; it skips those it does not know
