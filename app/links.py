"""Absolute links to the site's own pages, for what leaves the browser:
calendar files and feeds, spreadsheets, mail.

Pages and downloads link to SITE_URL when it is set, else to the address the
request came to (its scheme and host, through ProxyFix when that is on), so
a site served somewhere SITE_URL does not name still gives working links.
Mail never goes by the request (a forged Host header would put a stranger's
address into a password-reset mail): it uses `configured_site_url()`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from app.config import LOCAL_SITE_URL


def safe_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site ("/forum?page=2"), else `fallback`:
    a redirect after sign-in or a language choice never leaves the site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith(("//", "/\\")):
            return target
    return fallback


def configured_site_url() -> str:
    """SITE_URL, or the local development address when it is unset."""
    return (current_app.config.get("SITE_URL") or LOCAL_SITE_URL).rstrip("/")


def site_url() -> str:
    """Where the site is served: SITE_URL, else this request's own address."""
    if current_app.config.get("SITE_URL") or not has_request_context():
        return configured_site_url()
    return request.url_root.rstrip("/")


def url_on(site: str, endpoint: str, **values) -> str:
    """The endpoint's address under `site` (scheme, host and any path prefix).
    Works without a request, where url_for(_external=True) needs SERVER_NAME."""
    parts = urlsplit(site)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def absolute_url(endpoint: str, **values) -> str:
    return url_on(site_url(), endpoint, **values)
