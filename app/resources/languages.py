"""A resource's language: chosen by its uploader, or detected from its text.

Left empty (or "detect"), it is detected from the title and description when
the resource is saved, and again with the file's words once the text job has
read them (`text_jobs`); `language_detected` stays true until someone picks a
language. Saving the form with the detected language left as it was keeps it
detected (and so open to a better guess from a new file).
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.i18n import N_
from app.language_detect import detect_language
from app.resources.models import Resource, ResourceText
from app.vocabulary import is_language

DETECT = "detect"
PROBLEM = N_("Pick a language from the list, or leave it to be detected (an ISO 639-1 code such as en, es or ar).")


def clean_language(value: str | None, errors: dict[str, str]) -> str:
    """A two-letter code, or DETECT for an empty value or "detect"."""
    code = (value or "").strip().lower() or DETECT
    if code != DETECT and not is_language(code):
        errors["language"] = PROBLEM
    return code


def apply_language(resource: Resource, code: str) -> None:
    """Set what was chosen, or detect (from the words the resource has now)."""
    if code == DETECT:
        detect(resource, stored_text(resource))
    elif code != resource.language or not resource.language_detected:
        resource.language, resource.language_detected = code, False


def detect(resource: Resource, text: str | None = None) -> None:
    """Detect the language from the title, description and `text` (the file's words)."""
    resource.language = detect_language(resource.title, resource.description_md, text)
    resource.language_detected = True


def stored_text(resource: Resource) -> str | None:
    """The words already read from its file (the relationship is never loaded lazily)."""
    if resource.id is None or resource.file_id is None:
        return None
    return db.session.scalar(select(ResourceText.body).where(ResourceText.resource_id == resource.id))
