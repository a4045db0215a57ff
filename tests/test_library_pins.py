"""The private names of libraries our code relies on, one test per library.

Where a library has no public way to do what we need, the override lives in
one module (named in each test), the library is pinned exactly in
requirements.txt, and the test here fails, naming the pin, when a name that
module uses disappears or changes its signature, or when the installed
version is not the pinned one. Before moving a pin: re-check that module
against the new version (docs/ARCHITECTURE.md, "Pinned libraries"), then
update the pin and this test.
"""

from __future__ import annotations

import inspect
import re
from importlib import metadata
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements.txt"
_MISSING = object()


def _pins() -> dict[str, str]:
    pins = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s#]+)", line.strip())
        if match:
            pins[_normal(match.group(1))] = match.group(2)
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class Reliance:
    """What one of our modules relies on inside one pinned library."""

    def __init__(self, distribution: str, module: str):
        self.distribution, self.module = distribution, module
        self.problems: list[str] = []

    def method(self, owner, name: str, params: list[str]) -> None:
        """`owner.name` exists and takes exactly these parameters."""
        member = inspect.getattr_static(owner, name, _MISSING)
        if member is _MISSING:
            self.problems.append(f"{owner.__qualname__}.{name} is gone")
            return
        found = list(inspect.signature(getattr(owner, name)).parameters)
        if found != params:
            self.problems.append(f"{owner.__qualname__}.{name}{tuple(found)} now, was {tuple(params)}")

    def attributes(self, obj, *names: str) -> None:
        """An instance has these attributes."""
        for name in names:
            if not hasattr(obj, name):
                self.problems.append(f"{type(obj).__qualname__} instances have no {name}")

    def mentions(self, obj, *texts: str) -> None:
        """The library's own code still says this (an attribute it sets or reads)."""
        source = inspect.getsource(obj)
        for text in texts:
            if text not in source:
                self.problems.append(f"{getattr(obj, '__qualname__', obj.__name__)} no longer has `{text}`")

    def check(self) -> None:
        pinned = _pins().get(_normal(self.distribution))
        installed = metadata.version(self.distribution)
        why = f"because {self.module} relies on its private names"
        assert pinned, (f"requirements.txt must pin {self.distribution} exactly ({self.distribution}=={installed}) "
                        f"{why}")
        if installed != pinned:
            self.problems.append(f"{installed} is installed")
        assert not self.problems, (
            f"requirements.txt pins {self.distribution}=={pinned} {why}: " + "; ".join(self.problems)
            + f". Re-check {self.module} against {self.distribution} {installed} before moving the pin "
            "(docs/ARCHITECTURE.md, 'Pinned libraries').")


def test_flask_limiter():
    from flask_limiter import Limiter

    needs = Reliance("Flask-Limiter", "app/extensions.py (init_limiter, StaffroomLimiter)")
    needs.attributes(Limiter(key_func=lambda: "x"), "_storage_dead", "_key_prefix", "_check_request_limit")
    needs.mentions(Limiter, "self._storage_dead", "self._key_prefix",
                   # StaffroomLimiter overrides the before-request check, which
                   # decorated views call with in_middleware=False themselves.
                   "app.before_request(self._check_request_limit)", "in_middleware: bool = True",
                   # init_limiter runs its after-request and teardown hooks only
                   # for the requests that made its per-request state.
                   "app.after_request(partial(Limiter.__inject_headers, self))",
                   "app.teardown_request(self.__release_context)", "ctx._limiter_request_context")
    needs.attributes(Limiter, "_Limiter__inject_headers", "_Limiter__release_context")
    needs.check()


def test_flask_login():
    from flask import Flask
    from flask_login import LoginManager, UserMixin, current_user

    from app import login_state

    needs = Reliance("Flask-Login", "app/login_state.py")
    app = Flask(__name__)
    manager = LoginManager(app)
    manager.user_loader(lambda _id: None)

    class Member(UserMixin):
        id = 7

    with app.test_request_context():
        if login_state.loaded_user() is not None:
            needs.problems.append("g._login_user is set before anyone loaded a user")
        member = Member()
        login_state.use_for_this_request(member)
        if current_user._get_current_object() is not member:
            needs.problems.append("current_user no longer reads g._login_user")
    needs.check()


def test_werkzeug():
    from werkzeug.routing import Map
    from werkzeug.routing import Rule as WerkzeugRule

    from app.routing import Rule

    needs = Reliance("Werkzeug", "app/routing.py (Rule)")
    needs.method(WerkzeugRule, "_compile_builder", ["self", "append_unknown"])
    needs.mentions(WerkzeugRule.compile, "self._build = self._compile_builder(False).__get__(self, None)",
                   "self._build_unknown = self._compile_builder(True).__get__(self, None)")
    needs.mentions(WerkzeugRule.build, "self._build_unknown(**values)", "self._build(**values)")
    adapter = Map([Rule("/a/<int:rule>/<path:values>", endpoint="a")]).bind("example.org")
    for _ in range(2):  # the first call compiles, the second uses what it compiled
        if adapter.build("a", {"rule": 3, "values": "x/y", "q": "1"}) != "/a/3/x/y?q=1":
            needs.problems.append("a rule's builder no longer builds on first use")
    needs.check()


def test_flask_smorest():
    from flask_smorest import Api
    from flask_smorest.spec import APISpecMixin

    needs = Reliance("flask-smorest", "app/extensions.py (StaffroomApi)")
    needs.method(Api, "register_blueprint", ["self", "blp", "parameters", "options"])
    needs.mentions(Api.register_blueprint, '["blp_name_to_api"][blp_name] = self', "blp.register_views_in_doc(",
                   "self.spec.tag(")
    needs.mentions(APISpecMixin, "self.spec = apispec.APISpec(")  # our setter keeps it
    needs.check()


def test_python_socketio():
    from socketio import PubSubManager, RedisManager

    needs = Reliance("python-socketio", "app/live/queue.py (ResyncRedisManager)")
    needs.method(RedisManager, "__init__", ["self", "url", "channel", "write_only", "logger", "json", "redis_options"])
    needs.method(RedisManager, "_redis_connect", ["self"])
    needs.method(RedisManager, "_publish", ["self", "data"])
    needs.method(RedisManager, "_redis_listen_with_retries", ["self"])
    needs.method(RedisManager, "_listen", ["self"])
    needs.method(PubSubManager, "_handle_emit", ["self", "message"])
    needs.mentions(RedisManager, "self.redis =", "self.pubsub =", "self.connected", "self.channel", "self.json")
    needs.mentions(PubSubManager._thread, "self._listen()")
    needs.check()


def test_python_engineio():
    import engineio
    import engineio.async_drivers._websocket_wsgi as websocket_wsgi
    import engineio.server
    import engineio.socket
    from engineio import exceptions, packet

    needs = Reliance("python-engineio", "app/live/direct_send.py (DirectSocket)")
    # Engine.IO's own class, whether or not direct_send.install() has replaced it.
    socket_class = next(c for c in engineio.socket.Socket.__mro__ if c.__module__ == "engineio.socket")
    needs.method(socket_class, "__init__", ["self", "server", "sid"])
    needs.method(socket_class, "_websocket_handler", ["self", "ws"])
    needs.method(socket_class, "poll", ["self"])
    needs.method(socket_class, "send", ["self", "pkt"])
    needs.attributes(socket_class(engineio.Server(async_mode="threading"), "sid"),
                     "queue", "connected", "closed", "upgraded", "upgrading")
    needs.mentions(engineio.server, "socket.Socket(self, sid)")  # the class install() swaps
    needs.mentions(socket_class._websocket_handler, "ws.wait()", "ws.send(", "ws.close(")
    needs.mentions(websocket_wsgi.SimpleWebSocketWSGI, "self.ws = simple_websocket.Server(")
    if not (hasattr(exceptions, "QueueEmpty") and hasattr(packet, "MESSAGE")):
        needs.problems.append("engineio.exceptions.QueueEmpty or engineio.packet.MESSAGE is gone")
    needs.check()


def test_simple_websocket():
    from simple_websocket import ws

    needs = Reliance("simple-websocket", "app/live/direct_send.py (DirectSocket._send_now)")
    needs.method(ws.Base, "__init__", ["self", "sock", "connection_type", "receive_bytes", "ping_interval",
                                       "max_message_size", "thread_class", "event_class", "selector_class"])
    needs.mentions(ws.Base.__init__, "self.sock = sock", "self.ws = WSConnection(", "self.connected =")
    needs.check()


def test_wsproto():
    from wsproto import WSConnection
    from wsproto.events import TextMessage

    needs = Reliance("wsproto", "app/live/direct_send.py (DirectSocket._send_now)")
    needs.method(WSConnection, "send", ["self", "event"])
    needs.method(TextMessage, "__init__", ["self", "data", "frame_finished", "message_finished"])
    needs.check()


def test_whoosh():
    from whoosh.codec.whoosh3 import (
        W3Codec,
        W3FieldWriter,
        W3LeafMatcher,
        W3PostingsWriter,
    )
    from whoosh.externalsort import SortingPool
    from whoosh.writing import PostingPool, SegmentWriter

    needs = Reliance("Whoosh-Reloaded", "app/search/codec.py")
    needs.method(W3Codec, "__init__", ["self", "blocklimit", "compression", "inlinelimit"])
    needs.method(W3Codec, "field_writer", ["self", "storage", "segment"])
    needs.method(W3Codec, "postings_writer", ["self", "dbfile", "byteids"])
    needs.method(W3Codec, "postings_reader", ["self", "dbfile", "terminfo", "format_", "term", "scorer"])
    needs.mentions(W3Codec, "self._blocklimit", "self._compression", "self._inlinelimit")
    needs.method(W3PostingsWriter, "__init__", ["self", "postfile", "blocklimit", "byteids", "compression",
                                                "inlinelimit"])
    needs.method(W3PostingsWriter, "add_posting", ["self", "id_", "weight", "vbytes", "length"])
    needs.method(W3PostingsWriter, "_write_block", ["self", "last"])
    for name in ("_mini_ids", "_mini_weights", "_mini_values"):
        needs.method(W3PostingsWriter, name, ["self"])
    needs.mentions(W3PostingsWriter, "self._ids", "self._weights", "self._values", "self._maxweight",
                   "self._minlength", "self._maxlength", "self._blocklimit", "self._byteids", "self._format")
    for name in ("_read_ids", "_read_weights", "_read_values", "_read_data", "_next_block"):
        needs.method(W3LeafMatcher, name, ["self"])
    needs.mentions(W3LeafMatcher, "self._data", "self._ids", "self._weights", "self._values", "self._byteids",
                   "self._blocklength")
    needs.method(W3FieldWriter, "add_postings", ["self", "schema", "lengths", "items"])
    needs.mentions(W3FieldWriter, "self._postwriter")
    needs.method(PostingPool, "__init__", ["self", "tempstore", "segment", "limitmb", "kwargs"])
    needs.method(PostingPool, "items", ["self", "maxfiles"])
    needs.method(PostingPool, "_new_run", ["self"])
    needs.method(PostingPool, "_open_run", ["self", "path"])
    needs.method(PostingPool, "_remove_run", ["self", "path"])
    needs.mentions(PostingPool, "self.currentsize", "self.limit")
    needs.mentions(SortingPool, "self.runs")
    needs.mentions(SegmentWriter, "self._tempstorage =", "self.pool =", "self.newsegment =", "codec.length_stats")
    needs.check()

