"""Demo follows, directory settings and a few private conversations."""

from __future__ import annotations

from app.messages import services as messages
from app.people import services as people

FOLLOWS = [
    ("amira_h", "gary_w"), ("amira_h", "leyla_m"), ("leyla_m", "priya_n"), ("jordan_t", "chidi_o"),
    ("priya_n", "gary_w"), ("yuki_t", "emma_c"), ("emma_c", "yuki_t"), ("rafael_s", "jordan_t"),
    ("chidi_o", "wanjiru_k"), ("wanjiru_k", "jordan_t"), ("sofia_g", "rafael_s"), ("gary_w", "priya_n"),
]
LANGUAGES = {
    "gary_w": ["en"], "amira_h": ["ar", "en"], "leyla_m": ["az", "ru", "en"], "jordan_t": ["en", "es"],
    "priya_n": ["en", "hi"], "rafael_s": ["pt", "es", "en"], "chidi_o": ["en"], "yuki_t": ["ja", "en"],
    "emma_c": ["en"], "wanjiru_k": ["sw", "en"], "sofia_g": ["es", "en"],
}
CONVERSATIONS = [
    (("amira_h", ["gary_w"]), [
        ("amira_h", "Hi Gary! My Year 9 class would love a guest speaker for our next connection call."),
        ("gary_w", "Happy to help. Thursdays work best for me: shall we say 14:00 UK time?"),
        ("amira_h", "Perfect, I'll send the invite."),
    ]),
    (("leyla_m", ["priya_n", "gary_w"]), [
        ("leyla_m", "Planning the spring TweetMeet on assessment: would you two co-host?"),
        ("priya_n", "Count me in!"),
    ]),
]


def seed_people_extra(context: dict, echo) -> None:
    users = context["users"]
    for username, codes in LANGUAGES.items():
        if username in users:
            people.update_settings(users[username], languages=codes)
    if "claire_d" in users:
        people.update_settings(users["claire_d"], directory_visible=False)  # one member prefers to stay unlisted
    for follower, followed in FOLLOWS:
        if follower in users and followed in users:
            people.follow(users[follower], users[followed])
    count = 0
    for (sender, to), lines in CONVERSATIONS:
        if sender not in users or any(name not in users for name in to):
            continue
        conversation, _ = messages.start_conversation(users[sender], to, lines[0][1])
        for author, body in lines[1:]:
            messages.send(conversation, users[author], body)
        count += 1
    echo(f"People: {len(FOLLOWS)} follows, {count} private conversations.")
