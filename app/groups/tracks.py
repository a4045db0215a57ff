"""An uploaded track file, GPX or FIT, told apart by its bytes (never by
its name or the type the browser claims)."""

from __future__ import annotations

from app.groups import fit, gpx
from app.groups.gpx import Track
from app.i18n import N_

__all__ = ["Track", "read"]


def read(data: bytes) -> Track:
    """The track in a GPX or FIT file; ValidationFailed (field "gpx") if it is neither, or unusable."""
    if not data:
        raise gpx.refuse(N_("That file is empty."))
    return fit.parse(data) if fit.looks_like_fit(data) else gpx.parse(data)
