"""A file form's file across tries, for the HTML views.

The form has a file field plus two more: `held_token` (hidden) and
`drop_held` (a checkbox, "Remove it"). On a post, `HeldFile` reads the file
just chosen, or finds the one held from an earlier try (a newly chosen file
replaces it, the checkbox lets it go). `upload()` gives the view what to pass
to its service, claiming a held file; after a failed submit `keep()` holds
what was posted, when it passes the same check as a fresh upload, and puts
its token back in the form.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_login import current_user
from werkzeug.datastructures import FileStorage

from app.exceptions import ServiceError
from app.i18n import translate
from app.uploads import pending

Posted = tuple[bytes, str]  # the bytes and the name the browser gave


class HeldFile:
    def __init__(self, form, *, field: str, key: str, read: Callable[[FileStorage], bytes],
                 check: Callable[[bytes, str], object]):
        """`key` names the form ("resource-12"); `read` reads a posted file
        (and may refuse one too large); `check` raises the ServiceError a
        fresh upload of these bytes would get."""
        self.form, self.field, self.key, self.check = form, field, key, check
        self.fresh: Posted | None = None
        self.held: pending.Held | None = None
        self._claimed: Posted | None = None
        if not form.is_submitted():
            return
        stream = form[field].data
        if isinstance(stream, FileStorage) and stream.filename:
            self.fresh = (read(stream), stream.filename)
        held = pending.find(current_user, key, form.held_token.data)
        if held is not None and (self.fresh is not None or form.drop_held.data):
            pending.discard(held)  # replaced by the new choice, or removed
        else:
            self.held = held

    def upload(self) -> Posted | None:
        """The file to use now: the one just chosen, else the held one (claimed: used once)."""
        if self.fresh is not None:
            return self.fresh
        if self.held is not None:
            data = pending.claim(self.held)
            self._claimed = (data, self.held.file_name) if data is not None else None
            self.held = None
        return self._claimed

    def keep(self) -> pending.Held | None:
        """After a failed submit: hold the posted file for the next try.
        A file that fails the upload check is not held; its error goes on
        the field. Returns what the form should show as ready (nothing
        before a first submit)."""
        if not self.form.is_submitted():
            return None
        posted = self.fresh or self._claimed
        if posted is not None:
            try:
                self.check(*posted)
            except ServiceError as error:
                self._show(error)
            else:
                self.held = pending.keep(current_user, self.key, *posted)
        self.form.held_token.data = self.held.token if self.held else ""
        self.form.drop_held.data = False
        return self.held

    def _show(self, error: ServiceError) -> None:
        field = self.form[self.field]
        message = translate(error.fields.get(self.field, error.message))
        if message not in field.errors:
            field.errors = [*field.errors, message]
