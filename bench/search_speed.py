"""Search speed benchmark: build rate, query latency, update visibility.

    .venv/bin/python bench/search_speed.py [--docs 20000] [--seed 7]

Generates realistic teaching-resource documents (seeded), indexes them with
SearchIndex.rebuild, then times a mix of one-word, multi-word, phrase,
prefix and misspelt queries (facets and snippets included) and the time to
apply one upsert and find it. Prints a table and writes
bench/results/search_speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.extensions import db  # noqa: E402
from app.resources import services as library  # noqa: E402
from app.search import Document, SearchIndex, SearchQuery  # noqa: E402
from app.search import service as search_service  # noqa: E402
from app.search.worker import start_worker  # noqa: E402

TARGETS = {"build_docs_per_s": 500, "p50_ms": 15, "p95_ms": 50, "upsert_find_s": 2.0}

SUBJECTS = {
    "Mathematics": ["fractions", "decimals", "algebra", "geometry", "probability",
                    "statistics", "equations", "times tables", "percentages", "ratio",
                    "trigonometry", "place value", "long division", "graphs"],
    "Science": ["photosynthesis", "electricity", "forces", "the water cycle",
                "states of matter", "cells", "ecosystems", "magnetism", "the solar system",
                "chemical reactions", "evolution", "food chains", "light and shadows"],
    "English": ["poetry", "persuasive writing", "grammar", "spelling", "phonics",
                "Shakespeare", "creative writing", "reading comprehension", "punctuation",
                "narrative writing", "debate", "figurative language"],
    "History": ["the Romans", "World War II", "the Industrial Revolution", "ancient Egypt",
                "the Tudors", "the Cold War", "civil rights", "local history", "the Vikings"],
    "Geography": ["rivers", "volcanoes", "climate change", "map skills", "urbanisation",
                  "earthquakes", "rainforests", "population", "weather"],
    "Computing": ["programming", "Scratch", "Python", "algorithms", "online safety",
                  "spreadsheets", "databases", "networks", "debugging", "binary"],
    "Art": ["drawing", "colour theory", "printmaking", "sculpture", "portraits",
            "perspective", "collage"],
    "Music": ["rhythm", "composition", "singing", "ukulele", "notation", "listening"],
    "Languages": ["French vocabulary", "Spanish verbs", "German greetings", "café role play",
                  "pronunciation", "numbers and dates"],
    "Physical Education": ["gymnastics", "team games", "athletics", "fitness", "dance"],
    "Citizenship": ["democracy", "human rights", "wellbeing", "media literacy",
                    "sustainability"],
}
TOOLS = ["breakout rooms", "OneNote class notebook", "Google Classroom", "Kahoot quiz",
         "Padlet wall", "Microsoft Teams", "Zoom", "Jamboard", "Mentimeter poll",
         "Seesaw journal", "Flipgrid video", "Quizlet flashcards", "Nearpod lesson",
         "Desmos activity", "Book Creator", "mini whiteboards", "Microsoft Forms",
         "shared Google Doc", "interactive whiteboard", "class blog"]
KINDS = ["lesson plan", "worksheet", "unit of work", "assessment rubric", "exit ticket",
         "starter activity", "homework task", "revision guide", "project", "scheme of work",
         "slide deck", "quiz", "video walkthrough", "parent letter", "display ideas"]
LEVELS = ["Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6", "Year 7", "Year 8",
          "Year 9", "GCSE", "A level", "primary", "secondary", "KS2", "KS3"]
COUNTRIES = ["GB", "IE", "FR", "ES", "DE", "US", "CA", "AU", "NZ", "IN", "ZA", "KE"]
TAGS = ["differentiation", "SEND", "EAL", "remote learning", "group work", "assessment",
        "homework", "cross-curricular", "outdoor learning", "retrieval practice",
        "scaffolding", "oracy", "metacognition", "flipped classroom", "inclusion",
        "behaviour", "feedback", "questioning", "modelling", "low stakes quiz"]
TEMPLATES = [
    "This {kind} introduces {topic} for {level} pupils and takes about {n} minutes.",
    "Pupils work in pairs using {tool} to explore {topic} before sharing back.",
    "I used {tool} so that each group could discuss {topic} and record their ideas.",
    "The {kind} includes differentiated tasks on {topic}, with extension questions.",
    "Start with a quick retrieval quiz on {topic2}, then model the key steps.",
    "Assessment: an exit ticket asks pupils to explain {topic} in their own words.",
    "Works well with {tool}; pupils can revisit the notes on {topic} at home.",
    "Misconceptions about {topic} are addressed with worked examples and a hinge question.",
    "Links to {subject2}: pupils compare {topic} with {topic2}.",
    "Teachers in {place} adapted this {kind} for mixed-ability classes and EAL learners.",
    "Resources: printable cards, a slide deck and an answer sheet for {topic}.",
    "Homework: a short reading on {topic} with three comprehension questions.",
    "Safeguarding note: check privacy settings in {tool} before sharing pupil work.",
    "The plenary uses mini whiteboards so every pupil answers a question on {topic}.",
    "Feedback from {name} was that the {kind} was clear and easy to adapt.",
    "For remote learning, set up {tool} with separate channels for each group.",
    "Vocabulary: {word1}, {word2} and {word3} are introduced with pictures.",
    "Timing: ten minutes starter, twenty minutes on {topic}, ten minutes review.",
    "Breakout rooms in {tool} let small groups rehearse their answers on {topic}.",
    "The OneNote class notebook has a section for each lesson on {topic}.",
    "Does anyone have a good lesson plan for {topic} that works with {level}?",
    "We ran a {kind} on {topic} during the {place} teachmeet last term.",
    "Scaffolded writing frames help weaker readers with {topic}.",
    "A flipped classroom video on {topic} is set the night before.",
    "Peer assessment uses a simple rubric with three success criteria.",
    "The lesson plan follows an I do, we do, you do structure.",
    "Students create a poster about {topic} and present it to the class.",
    "A knowledge organiser summarises the key facts about {topic}.",
    "Questions at the end check understanding of {topic} and {topic2}.",
    "Parents can support at home by discussing {topic} over dinner.",
    "An escape room activity turns revision of {topic} into a game.",
    "The water cycle diagram can be labelled on mini whiteboards.",
    "Use a Kahoot quiz as a low stakes check at the start of the lesson.",
    "Field trip to {place} to see {topic} in the real world.",
]
COMMON = ("pupils students teacher teachers lesson lessons class classes school work "
          "learning learn children year group groups activity activities time help "
          "idea ideas question questions answer answers example examples task tasks "
          "skills practice understanding support challenge discussion resource "
          "resources share plan plans good great easy simple fun useful new first "
          "next last each every different same week term day minutes home classroom "
          "board video sheet worksheet notes reading writing speaking listening "
          "explain show make use used using try tried works worked working think "
          "thinking talk look find found start end finish review check test tests "
          "feedback marks mark level levels key important topic topics unit units "
          "online digital paper pen pens books book story stories word words text "
          "texts picture pictures image images chart table list order step steps "
          "part parts whole class-wide independent independently together pairs "
          "partner partners small large quick short long clear model models "
          "modelling explanation instructions success criteria objective objectives "
          "outcome outcomes progress prior knowledge revision recap starter plenary "
          "extension differentiated scaffold scaffolding mixed ability higher lower "
          "confident struggling engaged engagement behaviour routine routines "
          "expectations display wall space room rooms tables seats hall library").split()
STOPS = ("the of and to a in is for that on with as are it be this at by from or an "
         "they their can will which have has was were not but we you all our so if "
         "then than into about").split()


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    syl = ["ka", "lo", "mi", "ren", "tho", "vak", "sel", "dor", "ban", "qui", "pel",
           "zu", "mar", "tin", "gro", "shu", "fen", "ola", "bri", "cos", "nep", "ulm",
           "ar", "est", "ion", "ter", "ple", "dia", "gon", "ric", "sta", "ven"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syl) for _ in range(rng.randint(2, 4))))
    return sorted(out)


def _zipf_cum(n: int, s: float = 1.05) -> list[float]:
    acc, out = 0.0, []
    for r in range(1, n + 1):
        acc += 1.0 / r ** s
        out.append(acc)
    return out


def make_documents(n: int, seed: int = 7) -> list[Document]:
    """Seeded teaching documents: a few template sentences about the
    document's subject, topic and tool, and free sentences drawn from a
    Zipf-distributed vocabulary (classroom words, then a long tail of rare
    words, names and places), so common words are common and phrases such
    as "exit ticket" appear in a few percent of documents, as in real data."""
    rng = random.Random(seed)
    rare = _pseudo_words(rng, 30000)
    rng.shuffle(rare)
    names = [w.capitalize() for w in rare[:800]]
    places = [w.capitalize() for w in rare[800:1400]]
    common = COMMON[:]
    rng.shuffle(common)
    vocab = STOPS + common + rare[1400:]
    cum = _zipf_cum(len(vocab), 1.0)
    subjects = list(SUBJECTS)
    all_topics = [(s, t) for s in subjects for t in SUBJECTS[s]]
    base = datetime(2020, 1, 1, tzinfo=timezone.utc)
    types = ["resource"] * 12 + ["thread"] * 3 + ["post"] * 3 + ["event", "user"]
    docs = []
    for i in range(1, n + 1):
        subject = rng.choice(subjects)
        topic = rng.choice(SUBJECTS[subject])
        s2, topic2 = rng.choice(all_topics)
        kind = rng.choice(KINDS)
        tool = rng.choice(TOOLS)
        level = rng.choice(LEVELS)
        dtype = rng.choice(types)
        own = [topic, topic, kind, tool, subject.lower(), level] + rng.sample(rare[1400:6000], 6)
        title = rng.choice([
            f"{topic.capitalize()} {kind} for {level}",
            f"Using {tool} for {topic}",
            f"{level} {subject.lower()}: {topic}",
            f"{kind.capitalize()}: {topic} with {tool}",
            f"How do you teach {topic}?",
        ])
        slots = dict(
            kind=kind, topic=topic, topic2=topic2, subject2=s2, tool=tool, level=level,
            n=rng.choice([20, 30, 45, 60, 90]), place=rng.choice(places),
            name=rng.choice(names), word1=rng.choice(rare), word2=rng.choice(rare),
            word3=rng.choice(rare),
        )
        sentences = [t.format(**slots) for t in rng.sample(TEMPLATES, rng.randint(2, 5))]
        target = rng.randint(1000, 3000)
        size = sum(len(x) + 1 for x in sentences)
        while size < target:
            words = rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 20))
            for j in range(len(words)):
                if rng.random() < 0.12:
                    words[j] = rng.choice(own)
            s = " ".join(words).capitalize() + "."
            sentences.insert(rng.randint(0, len(sentences)), s)
            size += len(s) + 1
        body = " ".join(sentences)
        r = rng.random()
        access = (["public"] if r < 0.85 else ["members"] if r < 0.95
                  else [f"group:{rng.randint(1, 50)}", f"user:{rng.randint(1, 500)}"])
        docs.append(Document(
            key=f"{dtype}:{i}", type=dtype, id=i, title=title, body=body,
            tags=rng.sample(TAGS, rng.randint(0, 4)),
            subject=subject if dtype != "user" else None,
            country=rng.choice(COUNTRIES), url=f"/{dtype}s/{i}", access=access,
            created_at=base + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 5)),
            extra=f"{rng.choice(names)} {rng.choice(names)}",
        ))
    return docs


QUERIES = {
    "one-word": ["fractions", "photosynthesis", "poetry", "Kahoot", "volcanoes", "rubric",
                 "algebra", "Scratch", "debate", "wellbeing", "ukulele", "homework"],
    "multi-word": ["fractions worksheet year 5", "breakout rooms group work",
                   "OneNote class notebook", "persuasive writing lesson plan",
                   "climate change project", "online safety quiz", "times tables starter",
                   "exit ticket algebra", "remote learning Zoom", "Shakespeare revision guide"],
    "phrase": ['"breakout rooms"', '"lesson plan" fractions', '"exit ticket"',
               '"OneNote class notebook"', '"water cycle" homework', '"mini whiteboards"'],
    "prefix": ["photo*", "assess*", "geo*", "program*", "differen*", "vocab*"],
    "misspelt": ["photosythesis", "fracions worksheet", "brekout rooms", "algebra equasions",
                 "shakespear", "volcanos lesson", "probabilty", "grammer"],
}
LONG_QUERIES = [
    "how can I use breakout rooms to support group work in a mixed ability maths class",
    "looking for a fun starter activity on fractions and decimals for year 5 pupils with EAL",
    "what is the best way to teach photosynthesis and food chains to primary children remotely",
    "ideas for assessment rubric and feedback on persuasive writing in secondary english lessons",
]


def _pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def time_queries(ix: SearchIndex, queries, rounds: int, principals=None):
    """(wall ms, CPU ms) per search. CPU time (this process only) shows the
    engine's cost when other work shares the machine."""
    wall, cpu = [], []
    for _ in range(rounds):
        for text in queries:
            q = SearchQuery(text=text, principals=principals or {"public", "members"})
            c0 = time.process_time()
            t0 = time.perf_counter()
            ix.search(q)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def _stats(values):
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(_pct(values, 95), 2),
            "n": len(values)}


def run(n_docs: int, seed: int, rounds: int) -> dict:
    docs = make_documents(n_docs, seed)
    avg_kb = statistics.mean(len(d.body) for d in docs) / 1024
    with tempfile.TemporaryDirectory() as tmp:
        ix = SearchIndex(Path(tmp) / "ix")
        c0 = time.process_time()
        t0 = time.perf_counter()
        count = ix.rebuild(docs)
        build_s = time.perf_counter() - t0
        build_cpu = time.process_time() - c0
        # warm up (first searcher, column caches)
        time_queries(ix, [q for qs in QUERIES.values() for q in qs], 1)

        by_kind = {k: time_queries(ix, qs, rounds) for k, qs in QUERIES.items()}
        mix_wall = [v for w, _c in by_kind.values() for v in w]
        mix_cpu = [v for _w, c in by_kind.values() for v in c]
        long_wall, long_cpu = time_queries(ix, LONG_QUERIES, rounds)

        # one upsert, then find it
        new = Document(
            key="resource:999999", type="resource", id=999999,
            title="Zyxwvut glacier fieldwork", body="A brand new zyxwvut resource.",
            tags=["fieldwork"], subject="Geography", country="GB", url="/resources/999999",
            access=["public"], created_at=datetime.now(timezone.utc),
        )
        t0 = time.perf_counter()
        ix.apply([new])
        apply_s = time.perf_counter() - t0
        r = ix.search(SearchQuery(text="zyxwvut"))
        upsert_s = time.perf_counter() - t0
        assert r.total == 1, r.total
        after, _ = time_queries(ix, QUERIES["multi-word"][:1], 1)  # first query after a commit
        ix.close()

    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "docs": count,
        "avg_body_kb": round(avg_kb, 2),
        "cores": os.cpu_count(),
        "load_avg_1min": load,
        "build_s": round(build_s, 2),
        "build_docs_per_s": round(count / build_s, 1),
        "build_docs_per_cpu_s": round(count / build_cpu, 1),
        "query_mix": _stats(mix_wall),
        "query_mix_cpu": _stats(mix_cpu),
        "by_kind": {k: {"wall": _stats(w), "cpu": _stats(c)} for k, (w, c) in by_kind.items()},
        "long_queries": _stats(long_wall),
        "long_queries_cpu": _stats(long_cpu),
        "upsert_apply_s": round(apply_s, 3),
        "upsert_find_s": round(upsert_s, 3),
        "first_query_after_commit_ms": round(after[0], 2),
        "targets": TARGETS,
    }


def saved_to_findable(tries: int = 5) -> list[float]:
    """Seconds from a resource's commit to its first appearance in results,
    through the product: the library service saves it, the web process's
    index worker thread drains the outbox, the search service finds it."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'speed.db'}", "INSTANCE_PATH": folder / "i",
            "UPLOAD_DIR": str(folder / "u"), "SEARCH_INDEX_DIR": str(folder / "ix"), "SECRET_KEY": "bench",
            "SEARCH_WORKER": "thread", "PASSWORD_HASH_PROFILE": "CHEAPEST",
        })
        delays = []
        with app.app_context():
            db.create_all()
            owner = accounts.register(email_verified=True, username="speed_test", email="speed@staffroom.example",
                                      password="a-long-bench-password", display_name="Speed", country="GB")
            worker = start_worker(app)
            for number in range(tries):
                word = f"qzxvelocity{number}"
                library.create_resource(owner, title=f"Field trip {word}", subject="geography",
                                        license="cc-by", url=f"https://example.org/{number}")
                t0 = time.perf_counter()
                while not search_service.search(word, None).total:
                    if time.perf_counter() - t0 > 10:
                        raise SystemExit("a saved resource was not findable within 10 s")
                    time.sleep(0.005)
                delays.append(time.perf_counter() - t0)
            worker.stop()
            search_service.index().close()
            db.engine.dispose()
    return delays


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    res = run(args.docs, args.seed, args.rounds)
    findable = saved_to_findable()
    res["saved_to_findable_s"] = {"max": round(max(findable), 3), "mean": round(statistics.mean(findable), 3)}

    print(f"Search speed, {res['docs']} docs (~{res['avg_body_kb']} KB body), "
          f"{res['cores']} cores, load average {res['load_avg_1min']}")
    print("wall = elapsed time; cpu = this process's CPU time (other load excluded)")
    print(f"{'measure':<30}{'wall':>14}{'cpu':>14}{'target':>10}")
    print(f"{'build (docs/s)':<30}{res['build_docs_per_s']:>14}{res['build_docs_per_cpu_s']:>14}"
          f"{'>= 500':>10}")

    def pair(w, c):
        return f"{w['p50_ms']:>6}/{w['p95_ms']:<7}", f"{c['p50_ms']:>6}/{c['p95_ms']:<7}"

    w, c = pair(res["query_mix"], res["query_mix_cpu"])
    print(f"{'query mix p50/p95 (ms)':<30}{w:>14}{c:>14}{'15/50':>10}")
    for k, v in res["by_kind"].items():
        w, c = pair(v["wall"], v["cpu"])
        print(f"{'  ' + k:<30}{w:>14}{c:>14}")
    w, c = pair(res["long_queries"], res["long_queries_cpu"])
    print(f"{'long queries (12-17 words)':<30}{w:>14}{c:>14}")
    print(f"{'first query after commit (ms)':<30}{res['first_query_after_commit_ms']:>14}")
    print(f"{'upsert apply (s)':<30}{res['upsert_apply_s']:>14}")
    print(f"{'upsert + find (s)':<30}{res['upsert_find_s']:>14}{'':>14}{'< 2':>10}")
    print(f"{'saved -> findable, app (s)':<30}{res['saved_to_findable_s']['max']:>14}{'':>14}{'< 2':>10}")

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "search_speed.json").write_text(json.dumps(res, indent=2))
    print(f"wrote {out / 'search_speed.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
