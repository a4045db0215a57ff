"""The home page: a welcome for visitors, next steps for members."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.accounts import services as accounts

bp = Blueprint("people", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        steps = next_steps(current_user)
        return render_template("people/home_member.html", steps=steps)
    return render_template("people/home_visitor.html", member_count=accounts.count_users())


def next_steps(user) -> list[dict]:
    """What a signed-in educator could do next, most useful first."""
    steps = []
    if not user.school or not user.subjects:
        steps.append({"title": "Complete your profile",
                      "text": "Add your school, subjects and age ranges so colleagues can find you.",
                      "endpoint": "accounts.edit_profile"})
    if not user.avatar_file:
        steps.append({"title": "Add a profile picture",
                      "text": "Faces make a community: people answer people.",
                      "endpoint": "accounts.edit_profile"})
    steps.append({"title": "See your public profile",
                  "text": "This is what other educators see when they meet you.",
                  "endpoint": "accounts.profile", "args": {"username": user.username}})
    return steps
