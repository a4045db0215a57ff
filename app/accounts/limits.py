"""Rate limits on sign-in, registration and account mail.

Sign-in counts failures, not sign-ins, two ways: per client address (a
school's fifty teachers share one address, so this one is generous) and per
account, from any address (guessing one member's password). Both are
checked before the password is, so a refused attempt costs no password
hash. The counters live where Flask-Limiter keeps its own (memory, or Redis
shared by every process), under the app's key prefix.
"""

from __future__ import annotations

import logging
import math
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from app.exceptions import ServiceError
from app.extensions import limiter
from app.log_throttle import ThrottledWarnings

log = logging.getLogger(__name__)
_warnings = ThrottledWarnings(log)


class TooManyAttempts(ServiceError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, retry_after)


register_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_REGISTER"], scope="register",
                                      methods=["POST"])


def _fallback() -> MovingWindowRateLimiter:
    """This app's in-memory counters, used while the shared store is
    unreachable (like Flask-Limiter's own fallback). Kept per app: a module
    global would carry one app's counts into the next (tests build many)."""
    fallback = current_app.extensions.get("signin_limits_fallback")
    if fallback is None:
        fallback = current_app.extensions["signin_limits_fallback"] = MovingWindowRateLimiter(MemoryStorage())
    return fallback


def _strategy():
    try:
        return limiter.limiter
    except Exception:  # noqa: BLE001 (not initialised, or storage gone)
        return _fallback()


def _keys(kind: str, value: str) -> tuple[str, ...]:
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", "") or "-", kind, value)


def _call(method: str, item: RateLimitItem, keys: tuple[str, ...]):
    strategy = _strategy()
    try:
        return getattr(strategy, method)(item, *keys)
    except Exception as exc:  # noqa: BLE001 (Redis away: count in memory rather than fail sign-in)
        _warnings.warning("store", "sign-in limits: store unreachable (%s); counting in memory meanwhile", exc)
        return getattr(_fallback(), method)(item, *keys)


def _wait(item: RateLimitItem, keys: tuple[str, ...]) -> int | None:
    """Seconds until one more attempt is allowed, or None if it is now."""
    if _call("test", item, keys):
        return None
    stats = _call("get_window_stats", item, keys)
    return max(1, math.ceil(stats.reset_time - time.time()))


def _in_words(seconds: int):
    """"45 seconds", "3 minutes", in the reader's language (a lazy string)."""
    if seconds < 90:
        return lazy_ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return lazy_ngettext("%(num)d minute", "%(num)d minutes", minutes)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def check_sign_in(account_key: str, address: str | None) -> None:
    """Raise TooManyAttempts when either failure counter is full."""
    if not _enabled():
        return
    config = current_app.config
    for limit in parse_many(config["RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT"]):
        wait = _wait(limit, _keys("signin-account", account_key))
        if wait is not None:
            raise TooManyAttempts(_l("Too many failed sign-ins for this account. Try again in %(wait)s.",
                                     wait=_in_words(wait)), wait)
    if address:
        for limit in parse_many(config["RATELIMIT_LOGIN_FAILURES_PER_ADDRESS"]):
            wait = _wait(limit, _keys("signin-address", address))
            if wait is not None:
                raise TooManyAttempts(_l("Too many failed sign-ins from your network. Try again in %(wait)s.",
                                         wait=_in_words(wait)), wait)


def record_sign_in_failure(account_key: str, address: str | None) -> None:
    if not _enabled():
        return
    config = current_app.config
    for limit in parse_many(config["RATELIMIT_LOGIN_FAILURES_PER_ACCOUNT"]):
        _call("hit", limit, _keys("signin-account", account_key))
    if address:
        for limit in parse_many(config["RATELIMIT_LOGIN_FAILURES_PER_ADDRESS"]):
            _call("hit", limit, _keys("signin-address", address))


def hit_or_refuse(kind: str, key: str, limit: str, message: str) -> None:
    """Count one use of something limited per member or per address (a mail
    sent again, a reset asked for), refusing with TooManyAttempts when full.
    `message` is marked with N_ and has a %(wait)s placeholder."""
    if not _enabled():
        return
    for item in parse_many(limit):
        keys = _keys(kind, key)
        if not _call("hit", item, keys):
            stats = _call("get_window_stats", item, keys)
            wait = max(1, math.ceil(stats.reset_time - time.time()))
            raise TooManyAttempts(_l(message, wait=_in_words(wait)), wait)


def parse_many(text: str) -> list[RateLimitItem]:
    return [parse(part) for part in text.split(";") if part.strip()]
