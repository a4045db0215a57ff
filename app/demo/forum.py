"""Demo discussions: the default categories and a few dozen threads and
questions, some answered and accepted, spread over the last few weeks."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.forum import categories, moderation, services
from app.forum.models import Category, Post, Thread
from app.notifications import services as notifications

Q, D = "question", "discussion"

# (category, kind, asker, title, body, tags, days ago, replies, accepted reply index or None)
# A reply is (author, body, [members who found it helpful]).
THREADS = [
    ("announcements", D, "staffroom_admin", "Welcome to the Staffroom discussions",
     "This is the place to ask colleagues for help and share what works.\n\n"
     "- **Questions** get answers; the person who asked accepts the one that solved it.\n"
     "- Mark answers that helped you as *helpful*.\n- Report anything that does not belong here.\n\n"
     "Be kind: we are all teachers at the end of a long day.", ["welcome"], 30, [], None),
    ("ask-the-community", Q, "amira_h", "How do I set up breakout rooms in a class meeting?",
     "My Year 9 class meets online on Thursdays. I want groups of four for ten minutes, then everyone back "
     "together. A colleague asked me the same thing, so I said I would ask here. Do I create the rooms "
     "before the meeting or during it?", ["breakout-rooms", "meetings", "remote-learning"], 21,
     [("gary_w", "You can do both. **Before the lesson**: open the meeting, choose *Breakout rooms*, create "
       "8 rooms and assign students by hand. **During**: pick *Assign automatically*.\n\n"
       "1. Set a timer in *Rooms settings* so everyone comes back on time.\n"
       "2. Use *Make an announcement* to send a message to all rooms.\n"
       "3. Only the meeting organiser can manage rooms, so make sure you scheduled it.\n\n"
       "There is a step-by-step slide deck in the library too.", ["amira_h", "leyla_m", "sofia_g"]),
      ("sofia_g", "I pre-assign rooms the day before and name them after countries: the students love it. "
       "@amira_h the timer trick is the big one.", ["amira_h"]),
      ("amira_h", "Thank you both! It worked first time today.", [])], 0),
    ("ask-the-community", Q, "jordan_t", "Best way to share a worksheet so students can't edit the original?",
     "I keep finding my master copy scribbled on. How do you hand out a copy per student?",
     ["class-notebook", "worksheets"], 18,
     [("gary_w", "Put it in the class notebook's **Content Library** (read-only for students), or use "
       "*Distribute page* so each student gets their own copy in their section.", ["jordan_t", "priya_n"]),
      ("claire_d", "Assignments also make a copy per student if you choose *Students edit their own copy*.",
       ["jordan_t"])], 0),
    ("ask-the-community", Q, "emma_c", "Immersive Reader for children who cannot read yet?",
     "Some of my four-year-olds recognise letters but can't read. Is Immersive Reader worth trying with them?",
     ["immersive-reader", "early-years", "accessibility"], 16,
     [("jordan_t", "Yes: turn on **picture dictionary** and read aloud at the slowest speed. Keep texts to one "
       "or two sentences.", ["emma_c"]),
      ("yuki_t", "I use it with the line focus set to one line; the little ones follow the highlight.",
       ["emma_c", "amira_h"])], 1),
    ("ask-the-community", Q, "chidi_o", "Cheap way to measure reaction time in a physics practical?",
     "We have no light gates. Ideas for measuring reaction time with what a school already has?",
     ["practical", "low-cost", "physics"], 14,
     [("jordan_t", "The ruler drop test! Distance fallen gives the time with d = ½gt². Students make a "
       "conversion table first.", ["chidi_o", "wanjiru_k"]),
      ("claire_d", "Phone slow-motion video at 240 fps is surprisingly accurate for timing too.", [])], 0),
    ("ask-the-community", Q, "rafael_s", "Virtual field trip tools that work on slow school internet?",
     "Our connection drops when thirty students load 3D maps. What do you use?",
     ["field-trip", "maps", "bandwidth"], 12,
     [("priya_n", "Download the tour as a video the night before and play it from the board; students "
       "annotate screenshots on paper.", ["rafael_s"])], None),
    ("ask-the-community", Q, "leyla_m", "How do you give feedback on 120 maths notebooks a week?",
     "I teach five classes. Marking every notebook is impossible. What is your routine?",
     ["feedback", "workload", "mathematics"], 10,
     [("gary_w", "Whole-class feedback: read them all quickly, write a sheet of common errors, and spend the "
       "first ten minutes of the next lesson on it.", ["leyla_m", "amira_h", "claire_d"]),
      ("sofia_g", "I audio-record feedback: two minutes per student is faster than writing.", ["leyla_m"]),
      ("claire_d", "Self-marking quizzes for the routine practice, so my time goes to the reasoning.", [])], 0),
    ("ask-the-community", Q, "priya_n", "Coding club for 8-year-olds: blocks or text first?",
     "Starting a lunchtime club next term. Block-based first, or straight to text?",
     ["coding", "club", "primary"], 9,
     [("gary_w", "Blocks for the first term at that age. Switch to the text view of the same editor once "
       "they ask *how does it really work?*", ["priya_n"])], None),
    ("ask-the-community", Q, "wanjiru_k", "Tracking running club distances without phones?",
     "Half of my runners have no phone. How can they log their distances for the school challenge?",
     ["running", "pe", "fitness"], 8, [], None),
    ("ask-the-community", Q, "sofia_g", "Connecting my class with a school in another country: where to start?",
     "My Year 8 Spanish class wants to talk to students abroad. How do I find a partner school and plan the "
     "first call?", ["global-classroom", "video-call", "languages"], 6,
     [("amira_h", "Start with a 30-minute call: introductions, three prepared questions each, and a shared "
       "slide about each town. Agree the time zone early!", ["sofia_g"]),
      ("rafael_s", "Happy to connect with my Geography class in Brazil, @sofia_g. Portuguese and Spanish "
       "speakers understand each other more than you would think.", ["sofia_g", "amira_h"])], 1),
    ("ask-the-community", Q, "yuki_t", "Recording young children's voices safely for a story project?",
     "What do I need to check before recording five-year-olds for a digital story?",
     ["storytelling", "safeguarding", "early-years"], 4,
     [("emma_c", "Written consent from parents, no full names in the recording, and keep files on school "
       "storage only.", ["yuki_t"])], None),
    ("ask-the-community", Q, "claire_d", "Flipped classroom: how do you check students watched the video?",
     "Some students come to class without watching. How do you handle it?", ["flipped-classroom", "chemistry"], 3,
     [], None),
    ("ask-the-community", Q, "jordan_t", "Translate key vocabulary for a student who just arrived?",
     "A new student speaks Ukrainian and little English. Quick ways to translate science vocabulary?",
     ["translation", "eal", "science"], 2,
     [("gary_w", "Immersive Reader translates word by word or the whole page; put the key words in a "
       "bilingual glossary page in the class notebook.", ["jordan_t"])], 0),
    ("classroom-ideas", D, "amira_h", "Debate warm-ups that get quiet students talking",
     "My favourite: *Would you rather…* with the class moving to one side of the room. What are yours?",
     ["debate", "speaking", "english"], 20,
     [("sofia_g", "Silent debate on big paper first, then speaking. Quiet students have their points ready.",
       ["amira_h"]),
      ("leyla_m", "Maths version: *Always, sometimes, never* statements.", ["priya_n", "amira_h"])], None),
    ("classroom-ideas", D, "leyla_m", "Algebra tiles in the 14-16 classroom",
     "Do you still use algebra tiles with older students? I find they help with factorising.",
     ["algebra", "manipulatives"], 17,
     [("chidi_o", "Yes, and digital tiles for homework.", [])], None),
    ("classroom-ideas", D, "chidi_o", "Physics on a shoestring: share your cheapest practical",
     "Mine: a pendulum from string, washers and a phone stopwatch. Yours?", ["low-cost", "practical"], 15,
     [("jordan_t", "Leaf discs in bicarbonate solution for photosynthesis: costs almost nothing.", ["chidi_o"]),
      ("claire_d", "Red cabbage indicator. Every chemistry department should make it once a year.",
       ["chidi_o", "jordan_t"])], None),
    ("classroom-ideas", D, "yuki_t", "Rhythm games for the first five minutes",
     "Clapping call-and-response settles my class better than anything. Share your favourite rhythm games!",
     ["music", "games", "routines"], 11, [("emma_c", "Pass the beat around the circle; anyone who "
                                           "misses starts a new pattern.", ["yuki_t"])], None),
    ("classroom-ideas", D, "rafael_s", "A collaborative timeline that the whole class builds",
     "Each group researches one decade and adds events with images and sources. It became our revision "
     "tool.", ["timeline", "history", "collaboration"], 7, [], None),
    ("classroom-ideas", D, "emma_c", "Calm corners: what is in yours?",
     "Ours has a sand timer, feelings cards and ear defenders.", ["wellbeing", "early-years"], 5,
     [("yuki_t", "Soft instrumental music on headphones.", [])], None),
    ("tools-and-tips", D, "gary_w", "OneNote class notebook: tips I wish I had known in year one",
     "1. Lock the Content Library.\n2. Use page groups for each week.\n3. Review student work by page, not "
     "by student.\n\nWhat would you add?", ["onenote", "class-notebook"], 25,
     [("jordan_t", "Teacher-only section for answer keys.", ["gary_w"]),
      ("priya_n", "Stickers! The primary kids work for stickers.", ["gary_w", "emma_c"])], None),
    ("tools-and-tips", Q, "priya_n", "Keyboard shortcuts for accessibility tools?",
     "Which shortcuts do you teach students first?", ["accessibility", "keyboard"], 13,
     [("emma_c", "Windows + Ctrl + Enter for the narrator, and Ctrl + plus for zoom.", ["priya_n"])], 0),
    ("tools-and-tips", D, "claire_d", "Reading the periodic table aloud: text-to-speech mistakes",
     "Text-to-speech reads *Na* as a word. Any fix besides writing Sodium?", ["text-to-speech", "chemistry"],
     9, [], None),
    ("tools-and-tips", Q, "wanjiru_k", "Sharing a large video with students without email?",
     "The file is 600 MB. What's the simplest safe way?", ["video", "sharing"], 1,
     [("gary_w", "Upload it to the class team's files or a shared folder and share a link with *people in "
       "your school* only.", [])], None),
    ("professional-development", D, "leyla_m", "Coaching cycles that teachers actually want",
     "We moved from observation checklists to six-week coaching cycles chosen by each teacher. Results so "
     "far are good. Anyone else?", ["coaching", "cpd", "leadership"], 19,
     [("gary_w", "Same in our school; the key was protecting the time in the timetable.", ["leyla_m"])], None),
    ("professional-development", Q, "sofia_g", "Is the expert educator programme worth applying to?",
     "What did you get from it, and how much time does it take?", ["expert-educators", "programmes"], 12,
     [("gary_w", "Seven years in: the network is the best part. A few hours a month.", ["sofia_g", "priya_n"]),
      ("priya_n", "It pushed me to share my coding club materials; now three schools use them.", ["sofia_g"])],
     0),
    ("professional-development", D, "jordan_t", "Running a TweetMeet for your subject",
     "I hosted my first one last month. Questions went out every ten minutes. Tips from other hosts?",
     ["tweetmeet", "events"], 6, [], None),
    ("showcase-schools", D, "priya_n", "Our showcase school self-review: what we learned",
     "We thought our weak spot was devices. It was actually shared vision. Happy to share our checklist.",
     ["showcase-school", "self-review"], 22,
     [("gary_w", "Would love the checklist, @priya_n.", []),
      ("priya_n", "It is in the library now: *Showcase school self-review checklist*.", ["gary_w", "leyla_m"])],
     None),
    ("showcase-schools", Q, "rafael_s", "How many teachers need training before applying as a showcase school?",
     "Is there a minimum?", ["showcase-school", "training"], 8,
     [("priya_n", "There is no fixed number; what matters is evidence across the whole school.", ["rafael_s"])],
     0),
    ("wellbeing-and-fitness", D, "wanjiru_k", "Staff running club: 5 km in 8 weeks",
     "We start on Monday, three runs a week. Anyone want to join from their own school and log kilometres "
     "together?", ["running", "staff-wellbeing"], 14,
     [("jordan_t", "In! Chicago time zone though.", ["wanjiru_k"]),
      ("leyla_m", "Me too. Slow pace please.", ["wanjiru_k"])], None),
    ("wellbeing-and-fitness", Q, "claire_d", "How do you stop marking from eating your weekends?",
     "Genuinely asking. I'm tired.", ["workload", "staff-wellbeing"], 4,
     [("leyla_m", "One evening a week is marking evening; weekends are off. Whole-class feedback makes it "
       "possible.", ["claire_d", "amira_h"])], 0),
]

VIEWS = [412, 1380, 640, 295, 388, 174, 902, 233, 61, 310, 97, 45, 128, 520, 210, 356, 143, 88, 77, 1104, 260,
         66, 58, 301, 689, 112, 198, 143, 420, 233]


def seed_forum(context: dict, echo) -> None:
    categories.ensure_defaults()
    by_slug = {c.slug: c for c in db.session.scalars(select(Category))}
    users = context["users"]
    if db.session.scalar(select(Thread.id).where(Thread.title == THREADS[0][3])):
        echo("Demo discussions already there.")
        return
    now = utcnow()
    made = answered = 0
    for index, (slug, kind, asker, title, body, tags, days, replies, accepted) in enumerate(THREADS):
        thread = services.create_thread(users[asker], by_slug[slug], title=title, body=body, kind=kind, tags=tags,
                                        enforce_limits=False)
        started = now - timedelta(days=days, hours=index % 7)
        posts = [services.first_post(thread)]
        for author, text, _helpful in replies:
            posts.append(services.reply(thread, users[author], text, enforce_limits=False))
        for number, post in enumerate(posts):
            post.created_at = started + timedelta(hours=3 * number, minutes=7 * number)
        thread.created_at = started
        thread.view_count = VIEWS[index % len(VIEWS)]
        db.session.flush()
        services.refresh_thread(thread)
        db.session.commit()
        for post, (_author, _text, helpful_by) in zip(posts[1:], replies, strict=False):
            for username in helpful_by:
                services.set_helpful(post, users[username], True)
        if accepted is not None:
            services.accept_answer(posts[1 + accepted], users[asker])
            answered += 1
        made += 1
    welcome = db.session.scalar(select(Thread).where(Thread.title == THREADS[0][3]))
    moderation.set_pinned(welcome, users["staffroom_admin"], True, "Welcome post")
    notifications.deliver_pending()
    count = db.session.scalar(select(db.func.count(Post.id)))
    echo(f"Demo discussions: {made} threads ({answered} answered questions), {count} posts.")
