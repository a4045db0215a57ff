"""Demo educators from several countries, and one admin."""

from __future__ import annotations

from app.accounts import services as accounts

MEMBER_PASSWORD = "Staffroom-demo-2026"
ADMIN_PASSWORD = "Chalk-and-board-2026"

EDUCATORS = [
    # username, display name, country, school, subjects, age ranges, time zone, bio
    ("gary_w", "Gary Williams", "GB", "Ravenswood Academy", ["computing", "edtech"], ["11-14", "14-16"],
     "Europe/London", "Director of IT and seventh-year expert educator. Ask me about OneNote class notebooks."),
    ("amira_h", "Amira Haddad", "SA", "Al Noor International School", ["english", "languages"], ["11-14"],
     "Asia/Riyadh", "English teacher in Riyadh. My Year 9 class loves talking to guest native speakers."),
    ("leyla_m", "Leyla Mammadova", "AZ", "Baku Lyceum No. 6", ["mathematics", "leadership"], ["14-16", "16-18"],
     "Asia/Baku", "Maths teacher and professional development lead."),
    ("jordan_t", "Jordan Taylor", "US", "Lincoln Middle School", ["science", "biology"], ["11-14"],
     "America/Chicago", "Middle school science. Runner, coffee drinker, TweetMeet host."),
    ("priya_n", "Priya Nair", "IN", "Vidya Niketan School", ["computing", "mathematics"], ["7-11", "11-14"],
     "Asia/Kolkata", "Coding clubs for primary pupils. Showcase school coordinator."),
    ("rafael_s", "Rafael Souza", "BR", "Colégio Horizonte", ["geography", "history"], ["14-16"],
     "America/Sao_Paulo", "Geografia e história. Virtual field trips with 3D maps."),
    ("chidi_o", "Chidi Okafor", "NG", "Lagos Model College", ["physics", "science"], ["14-16", "16-18"],
     "Africa/Lagos", "Physics on a shoestring: experiments with everyday materials."),
    ("yuki_t", "Yuki Tanaka", "JP", "Sakura International School", ["music", "art"], ["5-7", "7-11"],
     "Asia/Tokyo", "Music and art for young learners; digital storytelling."),
    ("emma_c", "Emma Clarke", "AU", "Harbourside Primary", ["early-years", "english"], ["3-5", "5-7"],
     "Australia/Sydney", "Early years. Accessibility tools for every child."),
    ("wanjiru_k", "Wanjiru Kamau", "KE", "Nairobi Hill School", ["biology", "pe"], ["14-16"],
     "Africa/Nairobi", "Biology and PE. Coach of our school running club."),
    ("sofia_g", "Sofía García", "MX", "Escuela Benito Juárez", ["languages", "citizenship"], ["11-14", "14-16"],
     "America/Mexico_City", "Spanish and citizenship; global classroom projects."),
    ("claire_d", "Claire Dubois", "FR", "Lycée Victor Hugo", ["chemistry", "science"], ["16-18"],
     "Europe/Paris", "Chimie. Flipped classroom and immersive reader fan."),
]


def seed_educators(context: dict, echo) -> None:
    users = {}
    admin = accounts.get_by_username("staffroom_admin") or accounts.register(
        username="staffroom_admin", email="team@staffroom.example", password=ADMIN_PASSWORD,
        display_name="Staffroom Admin", country="GB", timezone="Europe/London", role="admin",
        bio="Keeps the lights on. Write to me if something is broken.", email_verified=True,
    )
    users[admin.username] = admin
    for username, name, country, school, subjects, ages, zone, bio in EDUCATORS:
        user = accounts.get_by_username(username)
        if user is None:
            user = accounts.register(
                username=username, email=f"{username}@staffroom.example", password=MEMBER_PASSWORD,
                display_name=name, country=country, school=school, subjects=subjects,
                age_ranges=ages, timezone=zone, bio=bio, email_verified=True,
            )
        users[username] = user
    # Gary moderates the discussions.
    accounts.set_role(users["gary_w"], "moderator")
    context["users"] = users
    echo("Demo educators (sign in with username or email):")
    echo(f"  {'staffroom_admin':<16} admin      password {ADMIN_PASSWORD}")
    for username, name, country, *_ in EDUCATORS:
        role = users[username].role
        echo(f"  {username:<16} {role:<10} password {MEMBER_PASSWORD}   {name} ({country})")
