"""gunicorn settings, read when ``gunicorn wsgi:app`` starts in this folder.

A page may run several queries, each allowed ``SVCAT_QUERY_TIMEOUT`` (30 s by default)
before it is stopped and the page answers 503. gunicorn's own worker timeout (30 s by
default) would kill the worker first and answer a bare 500, so it is set well above
what a page's queries may take. Options on the command line still win.

Workers are threaded (``gthread``, 2 threads each): a request spends most of its time
waiting for its query worker process (``catalogue.store.pool``), and meanwhile the
other thread parses, answers or waits for the next request; connections are kept alive,
so a client that sends many queries does not pay a TCP connection and a close for
each. Two threads match the two query workers each web process starts
(``SVCAT_QUERY_WORKERS``), so no thread waits for a free query worker. Measured on the
2-core machine (README, *Scale*): 1.4-4 times the ``/sparql`` throughput of the sync
worker, with less CPU per request; on a quiet machine 2 workers served 780-1,200 simple
queries/s with p99 17-18 ms. On a machine busy with other work some requests waited
0.1-1.2 s (p99) where the sync worker's p99 stayed under 50 ms: there ``--worker-class
sync`` on the command line trades the throughput back for the steadier latency.
"""

timeout = 120
graceful_timeout = 30
worker_class = "gthread"
threads = 2


def post_worker_init(worker):
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
