"""The floor for bench/run.py: Flask with no extension and one route.

bench/run.py serves it with the same gunicorn flags as the app, in the same
run, and divides every page's requests/s by this route's. What is left
between it and the app's own `/_bench/hello` is the app's per-request
overhead (hooks, session, limiter, logging); bench/overhead.py prices it.

Served from this folder: gunicorn --chdir bench bare_app:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/_bench/hello")
def hello() -> str:
    return "hello"
