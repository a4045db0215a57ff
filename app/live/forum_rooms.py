"""Forum pages on /live: `forum_watch {thread_id}` or `{category_id}` joins
the socket to that thread's or category's room, so the page hears of new
replies and threads (app/forum/live.py). Ack {ok: true, room} or
{ok: false, error}; re-sent by the page after every reconnect."""

from __future__ import annotations

from flask_socketio import join_room

from app.exceptions import ServiceError
from app.extensions import db
from app.forum import live as forum_live
from app.i18n import N_
from app.live.support import error, live_user, ok
from app.params import is_id
from app.push import NAMESPACE
from app.rate_limits import allow

WATCH_LIMIT = "30 per 10 seconds"


def on_watch(data=None):
    user = live_user()
    if user is None:
        return error("unauthorized", N_("Sign in again."))
    if not isinstance(data, dict) or sum(key in data for key in ("thread_id", "category_id")) != 1:
        return error("bad_request", N_("Send an object with a thread_id or a category_id."))
    key = "thread_id" if "thread_id" in data else "category_id"
    if not is_id(data[key]):
        return error("bad_request", f"{key} must be a number.")
    if not allow("forum_watch", user.id, WATCH_LIMIT):
        return error("rate_limited", N_("You are going too fast. Wait a few seconds and try again."))
    try:
        room = forum_live.watch_room(user, **{key: data[key]})
    except ServiceError as exc:
        return error(exc.code, exc.message)
    finally:
        db.session.rollback()  # read only; ends the transaction of this socket's thread
    join_room(room, namespace=NAMESPACE)
    return ok(room=key.removesuffix("_id"))


HANDLERS = {"forum_watch": on_watch}
