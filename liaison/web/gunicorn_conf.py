"""gunicorn's layout for liaison: `gunicorn -c python:liaison.web.gunicorn_conf ...`.

Each worker process serves one request at a time and takes a connection only when it is free,
so waiting requests queue in the shared listening socket and go, in turn, to whichever process
frees up first. Processes with many threads each, holding their clients' kept-alive
connections, made some clients wait behind a busy process while another was idle (and their
threads behind each other for Python's lock): at a million exchanges and 20 clients on 2
cores, the 95th percentile was two to three times the median; with this layout it is about
1.2 times (docs/web-speed.md). Options given on gunicorn's command line override these.
"""

import os

# Two per core and one more: while one process waits for the database another computes.
workers = 2 * (os.cpu_count() or 1) + 1
# gthread rather than sync: its main thread keeps telling the arbiter it is alive, so a long
# request (a large download, figures computed after a change) is not killed at --timeout.
worker_class = "gthread"
threads = 1
worker_connections = 1  # a busy process takes no new connection: another one will
# A connection per request: kept alive, a client would stay with one process, busy or not.
# Behind a reverse proxy (as docs/configuration.md asks) clients keep theirs to the proxy.
keepalive = 0
