"""gunicorn settings, read when ``gunicorn wsgi:app`` starts in this folder.

A page may run several queries, each allowed ``SVCAT_QUERY_TIMEOUT`` (30 s by default)
before it is stopped and the page answers 503. gunicorn's own worker timeout (30 s by
default) would kill the worker first and answer a bare 500, so it is set well above
what a page's queries may take. Options on the command line still win.
"""

timeout = 120
graceful_timeout = 30
