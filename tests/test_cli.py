"""flask seed-demo and flask users."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import User
from app.demo.people import EDUCATORS, MEMBER_PASSWORD
from app.extensions import db


def count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_seed_demo_fills_an_empty_database(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert count() == len(EDUCATORS) + 1
    assert MEMBER_PASSWORD in result.output and "staffroom_admin" in result.output
    countries = set(db.session.scalars(select(User.country)))
    assert {"GB", "SA", "AZ", "US", "IN", "BR"} <= countries
    admin = accounts.get_by_username("staffroom_admin")
    assert admin.role == "admin"
    # The printed passwords really work.
    assert accounts.authenticate("amira_h", MEMBER_PASSWORD).display_name == "Amira Haddad"


def test_seed_demo_refuses_a_database_with_users(runner, make_user):
    make_user("someone")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "--force" in result.output
    assert count() == 1
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and count() == 1
    result = runner.invoke(args=["seed-demo", "--force"])
    assert result.exit_code == 0 and count() == len(EDUCATORS) + 2


def test_create_admin(runner):
    result = runner.invoke(args=[
        "users", "create-admin", "--username", "head_teacher", "--email", "head@school.example",
        "--display-name", "Head Teacher", "--country", "GB", "--password", "a-long-admin-secret",
    ])
    assert result.exit_code == 0, result.output
    assert accounts.get_by_username("head_teacher").role == "admin"


def test_create_admin_reports_bad_input(runner):
    result = runner.invoke(args=[
        "users", "create-admin", "--username", "x", "--email", "nope", "--display-name", "X",
        "--country", "GB", "--password", "short",
    ])
    assert result.exit_code != 0
    assert "username" in result.output and "email" in result.output
    assert count() == 0


def test_set_role(runner, make_user):
    make_user("claire_d")
    assert runner.invoke(args=["users", "set-role", "claire_d", "moderator"]).exit_code == 0
    assert accounts.get_by_username("claire_d").role == "moderator"
    assert runner.invoke(args=["users", "set-role", "nobody", "admin"]).exit_code != 0
