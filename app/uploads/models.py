"""A file held for the next try of a form."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class PendingUpload(db.Model):
    """Bytes under UPLOAD_DIR/pending, usable only by the sign-in that
    posted them, on the form they were posted to, for `pending.HOLD_FOR`.
    Only the token's SHA-256 is stored, like API tokens and sessions."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Signing out (or being signed out) ends the hold.
    session_id: Mapped[int] = mapped_column(ForeignKey("user_sessions.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(60))  # "resource-new", "resource-12", "activity-new"
    file_name: Mapped[str] = mapped_column(String(200))  # as the browser sent it, shown escaped
    storage_name: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
