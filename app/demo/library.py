"""Demo resources: about forty, some with real PDF, Word and PowerPoint files
generated here so search finds words inside them."""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches, Pt

from app.resources import collections
from app.resources import services as library

# (owner, title, subject, ages, tags, licence, kind, body): kind is pdf/docx/pptx/link
RESOURCES = [
    ("gary_w", "OneNote Class Notebook: a setup guide for new teachers", "edtech", ["11-14", "14-16"],
     ["onenote", "class-notebook", "getting-started"], "cc-by", "pdf",
     "Create a class notebook, add sections for handouts, a collaboration space and a teacher-only area. "
     "Distribute pages to every student, review homework and give feedback with inking."),
    ("gary_w", "Breakout rooms in class meetings, step by step", "edtech", ["11-14", "14-16", "16-18"],
     ["breakout-rooms", "teams", "remote-learning"], "cc-by-sa", "pptx",
     "Plan the groups before the lesson. Open the meeting options, create breakout rooms, assign "
     "participants automatically or by hand, set a timer, broadcast announcements and bring everyone back."),
    ("amira_h", "Guest speaker etiquette for video calls with another school", "english", ["11-14"],
     ["video-call", "speaking", "global-classroom"], "cc-by", "docx",
     "Before the call, students prepare three questions each. A guest native English speaker joins for "
     "thirty minutes. Agree turn taking, mute when not speaking, and thank the guest at the end."),
    ("amira_h", "Persuasive writing with a debate warm-up", "english", ["11-14", "14-16"],
     ["writing", "debate", "lesson-plan"], "cc-by-nc", "docx",
     "Lesson plan: a five-minute debate warm-up, modelling a persuasive paragraph, peer assessment with a "
     "checklist, and an exit ticket. Differentiated sentence starters for every level."),
    ("leyla_m", "Algebra tiles: visualising quadratic expressions", "mathematics", ["14-16"],
     ["algebra", "quadratics", "manipulatives"], "cc-by", "pdf",
     "Use algebra tiles to expand and factorise quadratic expressions. Worksheet with worked examples and "
     "an extension on completing the square."),
    ("leyla_m", "Professional development plan template for departments", "leadership", ["18+"],
     ["professional-development", "cpd", "planning"], "cc-by-sa", "docx",
     "A template for a department's professional development plan: goals, evidence of impact, coaching "
     "cycles and a timeline for the school year."),
    ("jordan_t", "Photosynthesis lab: leaf discs that float", "biology", ["11-14"],
     ["photosynthesis", "practical", "lab"], "cc-by", "pdf",
     "A classic practical. Leaf discs sink in bicarbonate solution and float as photosynthesis produces "
     "oxygen. Record the time taken under different light intensities and plot a graph."),
    ("jordan_t", "Tips and tricks sheet: Immersive Reader in science lessons", "science", ["11-14", "14-16"],
     ["immersive-reader", "accessibility", "reading"], "cc0", "pdf",
     "Turn on line focus, syllable splitting and picture dictionary. Read aloud worksheets at a slower "
     "speed. Translate key vocabulary for students new to English."),
    ("priya_n", "Coding club: block-based games for ages 8 to 11", "computing", ["7-11"],
     ["coding", "makecode", "club"], "cc-by", "pptx",
     "Six sessions of a lunchtime coding club. Sprites, loops, events and variables; each session ends "
     "with a showcase of the games pupils made."),
    ("priya_n", "Showcase school self-review checklist", "leadership", ["18+"],
     ["showcase-school", "self-review", "transformation"], "cc-by-sa", "docx",
     "A checklist for school leaders: shared vision, leadership, professional learning, learning "
     "environment, and evidence of improved outcomes for students."),
    ("rafael_s", "Virtual field trip: rivers from source to mouth with 3D maps", "geography", ["14-16"],
     ["field-trip", "maps", "rivers"], "cc-by", "pptx",
     "Explore a river's long profile using 3D maps: waterfalls, meanders, ox-bow lakes and the delta. "
     "Students annotate screenshots and compare with a local river."),
    ("rafael_s", "Linha do tempo colaborativa: história do Brasil", "history", ["14-16"],
     ["timeline", "collaboration", "portuguese"], "cc-by-nc", "link",
     "Uma linha do tempo colaborativa para a turma: cada grupo pesquisa um período e adiciona eventos, "
     "imagens e fontes."),
    ("chidi_o", "Physics on a shoestring: pendulums and timing", "physics", ["14-16"],
     ["practical", "pendulum", "low-cost"], "cc-by", "pdf",
     "Measure the period of a pendulum with string, washers and a phone stopwatch. Investigate how the "
     "length affects the period and estimate the acceleration due to gravity."),
    ("chidi_o", "Electric circuits revision cards", "physics", ["14-16", "16-18"],
     ["circuits", "revision", "electricity"], "cc-by-sa", "docx",
     "Revision cards for series and parallel circuits, Ohm's law, resistance and power, with questions on "
     "the back of each card."),
    ("yuki_t", "Digital storytelling with young learners", "art", ["5-7", "7-11"],
     ["storytelling", "drawing", "early-years"], "cc-by", "pptx",
     "Children draw characters, record their voices and build a short story with photos and narration. "
     "Tips for managing devices with young classes."),
    ("yuki_t", "Rhythm games for the music classroom", "music", ["5-7", "7-11"],
     ["rhythm", "games", "music"], "cc0", "link", "Clapping games, call and response, and body percussion."),
    ("emma_c", "Accessibility tools for every child: a classroom display", "early-years", ["3-5", "5-7"],
     ["accessibility", "display", "inclusion"], "cc-by", "pdf",
     "A printable classroom display showing dictation, read aloud, high contrast and captions, with "
     "pictures children recognise."),
    ("emma_c", "Phonics sound mat", "english", ["3-5", "5-7"], ["phonics", "reading", "display"], "cc-by",
     "pdf", "A sound mat for phase two and three phonics with pictures for each grapheme."),
    ("wanjiru_k", "Couch to 5K for staff: a six-week running plan", "pe", ["18+"],
     ["running", "wellbeing", "staff"], "cc-by", "pdf",
     "Three runs a week for six weeks. Walk-run intervals build to a continuous 5 km. Log your runs with "
     "the school running club and cheer each other on."),
    ("wanjiru_k", "Cell structure: labelled diagrams and quiz", "biology", ["14-16"],
     ["cells", "microscopy", "quiz"], "cc-by", "pptx",
     "Animal and plant cells, organelles and their functions, magnification calculations and a quiz."),
    ("sofia_g", "Global classroom project: our community, your community", "citizenship", ["11-14", "14-16"],
     ["global-classroom", "project", "collaboration"], "cc-by", "docx",
     "Partner classes in two countries exchange short videos about their communities, compare daily life "
     "and publish a shared digital magazine."),
    ("sofia_g", "Vocabulario del aula: tarjetas para principiantes", "languages", ["11-14"],
     ["spanish", "vocabulary", "flashcards"], "cc-by-sa", "pdf",
     "Tarjetas de vocabulario para la clase de español: objetos del aula, saludos, números y colores."),
    ("claire_d", "Flipped classroom: chemical reactions", "chemistry", ["16-18"],
     ["flipped-classroom", "reactions", "video"], "cc-by", "pptx",
     "Students watch short videos on reaction rates before the lesson; class time is for practicals and "
     "problem solving. Includes a self-check quiz."),
    ("claire_d", "Le tableau périodique en couleurs", "chemistry", ["14-16", "16-18"],
     ["periodic-table", "french", "display"], "cc-by", "pdf",
     "Un tableau périodique coloré pour l'affichage en classe, avec les familles d'éléments."),
    ("gary_w", "Password safety lesson for Year 7", "computing", ["11-14"],
     ["online-safety", "passwords", "lesson-plan"], "cc-by", "docx",
     "Why long passphrases beat short passwords, how password managers help, and a class activity "
     "estimating how long passwords take to guess."),
    ("gary_w", "Video help guide: recording a lesson with captions", "edtech", ["18+"],
     ["video", "captions", "accessibility"], "cc-by", "link",
     "A short video guide to recording a lesson with live captions turned on."),
    ("jordan_t", "TweetMeet archive: assessment for learning", "science", ["11-14"],
     ["tweetmeet", "assessment", "feedback"], "cc-by", "link", "Questions and answers from a TweetMeet."),
    ("priya_n", "Unplugged computing: sorting networks on the playground", "computing", ["7-11"],
     ["unplugged", "algorithms", "outdoors"], "cc-by-sa", "pdf",
     "Draw a sorting network with chalk. Children walk the network holding number cards and come out "
     "sorted. Discuss comparisons and parallel steps."),
    ("leyla_m", "Statistics project: how far do we travel to school?", "mathematics", ["11-14"],
     ["statistics", "data", "project"], "cc-by", "docx",
     "Collect travel distances, compute mean, median and mode, draw box plots, and compare classes."),
    ("amira_h", "Reading comprehension: short stories from around the world", "english", ["11-14"],
     ["reading", "comprehension", "stories"], "cc-by-nc", "pdf",
     "Five short stories with comprehension questions, vocabulary in context and a creative response task."),
    ("rafael_s", "Climate graphs: interpreting temperature and rainfall", "geography", ["11-14", "14-16"],
     ["climate", "graphs", "data"], "cc-by", "pdf",
     "Read and draw climate graphs for five cities; compare biomes and explain the differences."),
    ("chidi_o", "Waves and sound with a phone app", "physics", ["14-16"],
     ["waves", "sound", "practical"], "cc-by", "pptx",
     "Use a phone's microphone app to measure frequency and loudness; investigate the speed of sound "
     "with an echo."),
    ("emma_c", "Calm corner visuals for wellbeing", "special-needs", ["3-5", "5-7", "7-11"],
     ["wellbeing", "visuals", "inclusion"], "cc0", "pdf",
     "Visual cards for a calm corner: breathing, counting, and naming feelings."),
    ("wanjiru_k", "Sports day planning spreadsheet guide", "pe", ["11-14", "14-16"],
     ["sports-day", "planning", "events"], "cc-by", "docx",
     "How to plan heats, lanes and results for sports day, with tips for including every pupil."),
    ("yuki_t", "Colour mixing with tablets and paint", "art", ["5-7", "7-11"],
     ["colour", "painting", "tablets"], "cc-by", "pptx",
     "Mix colours with real paint, then recreate them in a drawing app; compare primary and secondary "
     "colours."),
    ("sofia_g", "Debate club starter pack", "citizenship", ["14-16", "16-18"],
     ["debate", "speaking", "club"], "cc-by-sa", "docx",
     "Motions, roles, timings and a judging sheet for a school debate club."),
    ("claire_d", "Lab safety poster", "chemistry", ["11-14", "14-16"], ["safety", "lab", "display"],
     "cc0", "pdf", "Goggles on, hair tied back, no food in the lab, report every spill."),
    ("leyla_m", "Coaching conversations for teacher growth", "leadership", ["18+"],
     ["coaching", "professional-development", "feedback"], "cc-by", "pptx",
     "A coaching model for lesson observations: ask, listen, agree one next step, follow up."),
    ("priya_n", "Minecraft build challenge: sustainable cities", "computing", ["7-11", "11-14"],
     ["minecraft", "game-based-learning", "sustainability"], "cc-by", "link",
     "Teams design a sustainable city block with renewable energy and green spaces."),
    ("jordan_t", "Ecosystems food web card sort", "biology", ["11-14"],
     ["ecosystems", "food-web", "card-sort"], "cc-by", "docx",
     "Card sort of producers, consumers and decomposers; predict what happens when one species declines."),
]


def pdf_bytes(title: str, body: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin1(title))
    pdf.ln(4)
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 7, _latin1(body))
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    # The built-in PDF fonts cover Latin-1 only.
    return text.encode("latin-1", errors="replace").decode("latin-1")


def docx_bytes(title: str, body: str) -> bytes:
    document = DocxDocument()
    document.add_heading(title, level=1)
    for sentence in body.split(". "):
        document.add_paragraph(sentence.strip().rstrip(".") + ".")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(title: str, body: str) -> bytes:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    slide.shapes.title.text = title
    slide.placeholders[1].text = "Staffroom demo resource"
    for sentence in body.split(". "):
        page = presentation.slides.add_slide(presentation.slide_layouts[5])
        page.shapes.title.text = title
        box = page.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(3)).text_frame
        box.word_wrap = True
        box.text = sentence.strip()
        box.paragraphs[0].font.size = Pt(24)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


MAKERS = {"pdf": (pdf_bytes, "pdf"), "docx": (docx_bytes, "docx"), "pptx": (pptx_bytes, "pptx")}


def seed_library(context: dict, echo) -> None:
    users = context["users"]
    made = []
    for number, (owner, title, subject, ages, tags, licence, kind, body) in enumerate(RESOURCES, start=1):
        upload, url = None, None
        if kind == "link":
            url = f"https://example.org/staffroom-demo/{number}"
        else:
            make, extension = MAKERS[kind]
            slug = "-".join(title.lower().split()[:4])
            upload = library.Upload(make(title, body), f"{slug}.{extension}")
        made.append(library.create_resource(
            users[owner], title=title, description=body.split(". ")[0] + ".", subject=subject,
            age_ranges=ages, tags=tags, license=licence, url=url, upload=upload,
            external_id=f"demo-{number}",
        ))
    favourites = collections.create_collection(
        users["gary_w"], "Getting started with classroom technology",
        "The guides I send every new colleague.", is_public=True)
    for resource in made[:2] + made[7:8] + made[24:26]:
        collections.add_item(favourites, resource, users["gary_w"])
    collections.invite_editor(favourites, users["gary_w"], "amira_h")  # a shared collection
    for username in ("amira_h", "leyla_m", "jordan_t", "priya_n"):
        for resource in made[:: 3 + len(username) % 3][:6]:
            library.bookmark(users[username], resource)
    context["resources"] = made
    echo(f"Demo library: {len(made)} resources and a public collection Amira helps edit.")
