"""Community private messages: 50,000 messages in conversations of two (a
few of three to five), read up to a point by each member, the newest
already mailed about (so the mail sender does not write to everyone)."""

from __future__ import annotations

from datetime import timedelta

from app.demo.community.words import MESSAGES, TOPICS
from app.messages.models import Conversation, ConversationMember, Message

TOPIC_WORDS = [topic for topics in TOPICS.values() for topic in topics]


def _sizes(rng, conversations: int, messages: int) -> list[int]:
    sizes = [1 + int(rng.expovariate(1 / 4)) for _ in range(conversations)]
    scale = messages / sum(sizes)
    sizes = [max(1, round(size * scale)) for size in sizes]
    sizes[-1] = max(1, sizes[-1] + messages - sum(sizes))
    return sizes


def seed_messages(world) -> None:
    rng, load, now = world.rng, world.load, world.now
    total = world.count("messages")
    sizes = _sizes(rng, max(1, total // 5), total)
    message_ids = iter(load.ids(Message.__table__, sum(sizes)))
    conversations, members, messages = [], [], []
    for conversation_id, size in zip(load.ids(Conversation.__table__, len(sizes)), sizes, strict=True):
        people = {world.popular_member()}
        while len(people) < (2 if rng.random() < 0.9 else rng.randint(3, 5)):
            people.add(world.popular_member())
        people = sorted(people)
        started = now - timedelta(days=700 * rng.random() ** 1.5)
        span = (now - started) * rng.random() * 0.2
        moments = sorted(started + span * rng.random() for _ in range(size))
        rows = [{"id": next(message_ids), "conversation_id": conversation_id, "sender_id": rng.choice(people),
                 "body": rng.choice(MESSAGES).format(topic=rng.choice(TOPIC_WORDS)), "created_at": moment}
                for moment in moments]
        rows[0]["sender_id"] = creator = people[0]
        last = rows[-1]
        conversations.append({"id": conversation_id, "created_by_id": creator, "is_group": len(people) > 2,
                              "created_at": started, "last_message_at": last["created_at"],
                              "last_message_id": last["id"]})
        for user_id in people:
            own = [row["id"] for row in rows if row["sender_id"] == user_id]
            read = last["id"] if rng.random() < 0.8 else max(own or [0])
            members.append({"conversation_id": conversation_id, "user_id": user_id, "last_read_id": read,
                            "mailed_id": last["id"], "joined_at": started})
        messages += rows
    load.write(Conversation.__table__, conversations)
    load.write(ConversationMember.__table__, members)
    load.write(Message.__table__, messages)
