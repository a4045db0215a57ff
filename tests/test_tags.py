"""One tag rule for the library and the forum: a tag typed the same way
becomes the same tag in both, whatever its length up to the column's."""

from __future__ import annotations

from app.forum import categories
from app.forum import services as forum
from app.resources import services as library
from app.tags import MAX_TAG_LENGTH, normalize_tags

LONG = "Differentiated instruction for mixed ability"  # 45 characters


def test_tags_are_lower_case_hyphenated_distinct_and_bounded():
    assert normalize_tags("#Group Work!, group_work, , Fractions") == ["group-work", "fractions"]
    assert normalize_tags([LONG]) == ["differentiated-instruction-for-mixed-abi"]


def test_a_long_tag_is_the_same_tag_in_the_library_and_the_forum(app, make_user):
    me = make_user()
    categories.ensure_defaults()
    category = categories.by_slug("ask-the-community", me)
    thread = forum.create_thread(me, category, title="Mixed ability classes", body="How do you plan them?",
                                 kind="question", tags=[LONG], enforce_limits=False)
    resource = library.create_resource(me, title="Mixed ability planner", subject="mathematics",
                                       license="cc-by", url="https://example.org/planner", tags=LONG)
    assert thread.tags == [tag.name for tag in resource.tags]
    assert len(thread.tags[0]) == MAX_TAG_LENGTH
