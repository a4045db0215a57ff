"""`flask seed-demo --scale community`, run small (`--factor`): what a member
would notice on the community data, and that every row holds together."""

from __future__ import annotations

from sqlalchemy import func, inspect, select, text

from app.accounts import services as accounts
from app.accounts.models import User
from app.demo.people import MEMBER_PASSWORD
from app.extensions import db
from app.forum.models import Post, Thread
from app.groups import stats
from app.groups.models import Activity, Group, Membership
from app.messages.models import Conversation, Message
from app.resources.models import Resource
from app.search import service as search_service

FACTOR = "0.01"  # 100 members, 2,000 posts, 1,000 activities...


def seed(runner) -> str:
    result = runner.invoke(args=["seed-demo", "--scale", "community", "--factor", FACTOR])
    assert result.exit_code == 0, result.output
    return result.output


def test_community_seed(runner, app):
    output = seed(runner)
    assert "Rows written" in output and "search index" in output
    members_come_from_many_countries()
    threads_list_their_posts_in_order_with_their_counts()
    a_group_leaderboard_adds_up_its_activities()
    search_finds_a_seeded_resource()
    no_row_points_nowhere()
    main_pages_answer(app)


def members_come_from_many_countries():
    members = db.session.scalar(select(func.count(User.id)))
    countries = db.session.scalar(select(func.count(func.distinct(User.country))))
    zones = db.session.scalar(select(func.count(func.distinct(User.timezone))))
    assert members >= 120 and countries >= 90 and zones >= 90
    # Everyone signs in with the demo's password (hashed once, the hash reused).
    community = User.email.like("%@community.example")
    assert db.session.scalar(select(func.count(func.distinct(User.password_hash))).where(community)) == 1
    someone = db.session.scalar(select(User.username).where(community).order_by(User.id.desc()).limit(1))
    assert accounts.authenticate(someone, MEMBER_PASSWORD) is not None


def threads_list_their_posts_in_order_with_their_counts():
    threads = db.session.scalars(select(Thread)).all()
    assert len(threads) >= 50
    for thread in threads:
        posts = db.session.execute(select(Post.number, Post.status, Post.created_at, Post.author_id)
                                   .where(Post.thread_id == thread.id).order_by(Post.number)).all()
        assert [post.number for post in posts] == list(range(1, len(posts) + 1))
        assert [post.created_at for post in posts] == sorted(post.created_at for post in posts)
        published = [post for post in posts if post.status == "published"]
        assert thread.post_count == len(published) and thread.last_number == len(posts)
        assert thread.last_visible_number == published[-1].number
        assert (thread.last_posted_at, thread.last_poster_id) == (published[-1].created_at, published[-1].author_id)
        if thread.accepted_post_id is not None:
            accepted = db.session.get(Post, thread.accepted_post_id)
            assert accepted.thread_id == thread.id and accepted.status == "published" and thread.is_question
    helpful = db.session.execute(text(
        "SELECT count(*) FROM forum_posts p WHERE helpful_count <> "
        "(SELECT count(*) FROM forum_reactions r WHERE r.post_id = p.id AND r.kind = 'helpful')")).scalar()
    assert helpful == 0


def a_group_leaderboard_adds_up_its_activities():
    group = db.session.scalar(select(Group).where(Group.focus == "running", Group.id > 3).order_by(Group.id))
    board = stats.leaderboard(group, period="all")
    members = select(Membership.user_id).where(Membership.group_id == group.id)
    logged = db.session.execute(select(func.count(Activity.id), func.coalesce(func.sum(Activity.distance_m), 0))
                                .where(Activity.user_id.in_(members), Activity.sport == "run",
                                       Activity.visibility.in_(("public", "groups")))).one()
    assert sum(row.activities for row in board.rows) == logged[0] > 0
    assert sum(row.distance_m for row in board.rows) == logged[1]


def search_finds_a_seeded_resource():
    resource = db.session.scalar(select(Resource).where(Resource.status == "published", Resource.language == "en")
                                 .order_by(Resource.id.desc()).limit(1))
    found = search_service.search(resource.title, types=["resource"], per_page=100)
    assert resource.id in [hit.id for hit in found.hits]
    assert search_service.status()["pending_jobs"] == 0


def no_row_points_nowhere():
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
    else:  # PostgreSQL checked every key as the rows went in; the sequences must be past them
        for table in ("users", "forum_posts", "notifications", "pm_messages", "activities"):
            nextval = db.session.execute(text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")).scalar()
            assert nextval > db.session.execute(text(f"SELECT max(id) FROM {table}")).scalar()
    # The references the schema leaves without a foreign key.
    assert db.session.scalar(select(func.count(Conversation.id)).where(~select(Message.id).where(
        Message.id == Conversation.last_message_id, Message.conversation_id == Conversation.id).exists())) == 0
    assert "users" in inspect(db.engine).get_table_names()


def main_pages_answer(app):
    browser = app.test_client()
    response = browser.submit("/login", {"login": "gary_w", "password": MEMBER_PASSWORD})
    assert response.status_code == 302
    longest = db.session.scalar(select(Thread).order_by(Thread.post_count.desc()).limit(1))
    assert longest.post_count > 80
    group = db.session.scalar(select(Group.id).where(Group.id > 3, Group.visibility == "public").limit(1))
    for path in ["/", f"/t/{longest.id}-{longest.slug}?page=5", "/groups/1", f"/groups/{group}", "/events",
                 "/people", "/people?subject=mathematics", "/messages", "/programmes/experts",
                 "/discuss/c/ask-the-community", "/notifications", "/library", "/search?q=fractions"]:
        assert browser.get(path).status_code == 200, path
    page = browser.get(f"/t/{longest.id}-{longest.slug}?page=5").get_data(as_text=True)
    fifth = db.session.scalars(select(Post.id).where(Post.thread_id == longest.id, Post.number.between(81, 100),
                                                     Post.status == "published").order_by(Post.number)).all()
    shown = [post_id for post_id in fifth if f'id="post-{post_id}"' in page]
    assert shown == fifth and page.index(f'id="post-{fifth[0]}"') < page.index(f'id="post-{fifth[-1]}"')
