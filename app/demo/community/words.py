"""Word banks for the community dataset: countries with a time zone and a
site language, names, schools and the sentences posts are made of."""

from __future__ import annotations

# A hundred countries: code, a time zone there, the site language its members
# most often choose (None: they leave it to the browser).
COUNTRIES = [
    ("GB", "Europe/London", "en"), ("US", "America/New_York", "en"), ("CA", "America/Toronto", "en"),
    ("AU", "Australia/Sydney", "en"), ("NZ", "Pacific/Auckland", "en"), ("IE", "Europe/Dublin", "en"),
    ("IN", "Asia/Kolkata", "en"), ("PK", "Asia/Karachi", "en"), ("BD", "Asia/Dhaka", None),
    ("LK", "Asia/Colombo", "en"), ("NP", "Asia/Kathmandu", None), ("NG", "Africa/Lagos", "en"),
    ("GH", "Africa/Accra", "en"), ("KE", "Africa/Nairobi", "en"), ("UG", "Africa/Kampala", "en"),
    ("TZ", "Africa/Dar_es_Salaam", "en"), ("ZA", "Africa/Johannesburg", "en"), ("ZM", "Africa/Lusaka", "en"),
    ("ZW", "Africa/Harare", "en"), ("RW", "Africa/Kigali", "fr"), ("ET", "Africa/Addis_Ababa", None),
    ("CM", "Africa/Douala", "fr"), ("SN", "Africa/Dakar", "fr"), ("CI", "Africa/Abidjan", "fr"),
    ("MA", "Africa/Casablanca", "fr"), ("TN", "Africa/Tunis", "fr"), ("DZ", "Africa/Algiers", "ar"),
    ("EG", "Africa/Cairo", "ar"), ("SA", "Asia/Riyadh", "ar"), ("AE", "Asia/Dubai", "ar"),
    ("QA", "Asia/Qatar", "ar"), ("KW", "Asia/Kuwait", "ar"), ("BH", "Asia/Bahrain", "ar"),
    ("OM", "Asia/Muscat", "ar"), ("JO", "Asia/Amman", "ar"), ("LB", "Asia/Beirut", "ar"),
    ("IQ", "Asia/Baghdad", "ar"), ("FR", "Europe/Paris", "fr"), ("BE", "Europe/Brussels", "fr"),
    ("CH", "Europe/Zurich", "fr"), ("LU", "Europe/Luxembourg", "fr"), ("ES", "Europe/Madrid", "es"),
    ("PT", "Europe/Lisbon", "pt_BR"), ("IT", "Europe/Rome", None), ("DE", "Europe/Berlin", None),
    ("AT", "Europe/Vienna", None), ("NL", "Europe/Amsterdam", "en"), ("DK", "Europe/Copenhagen", "en"),
    ("SE", "Europe/Stockholm", "en"), ("NO", "Europe/Oslo", "en"), ("FI", "Europe/Helsinki", "en"),
    ("IS", "Atlantic/Reykjavik", "en"), ("PL", "Europe/Warsaw", None), ("CZ", "Europe/Prague", None),
    ("SK", "Europe/Bratislava", None), ("HU", "Europe/Budapest", None), ("RO", "Europe/Bucharest", None),
    ("BG", "Europe/Sofia", None), ("GR", "Europe/Athens", "en"), ("HR", "Europe/Zagreb", None),
    ("SI", "Europe/Ljubljana", None), ("RS", "Europe/Belgrade", None), ("UA", "Europe/Kyiv", None),
    ("EE", "Europe/Tallinn", "en"), ("LV", "Europe/Riga", None), ("LT", "Europe/Vilnius", None),
    ("TR", "Europe/Istanbul", None), ("GE", "Asia/Tbilisi", "en"), ("AZ", "Asia/Baku", "en"),
    ("KZ", "Asia/Almaty", None), ("UZ", "Asia/Tashkent", None), ("MX", "America/Mexico_City", "es"),
    ("GT", "America/Guatemala", "es"), ("CR", "America/Costa_Rica", "es"), ("PA", "America/Panama", "es"),
    ("CO", "America/Bogota", "es"), ("VE", "America/Caracas", "es"), ("EC", "America/Guayaquil", "es"),
    ("PE", "America/Lima", "es"), ("BO", "America/La_Paz", "es"), ("CL", "America/Santiago", "es"),
    ("AR", "America/Argentina/Buenos_Aires", "es"), ("UY", "America/Montevideo", "es"),
    ("PY", "America/Asuncion", "es"), ("BR", "America/Sao_Paulo", "pt_BR"), ("DO", "America/Santo_Domingo", "es"),
    ("JM", "America/Jamaica", "en"), ("TT", "America/Port_of_Spain", "en"), ("CN", "Asia/Shanghai", None),
    ("JP", "Asia/Tokyo", None), ("KR", "Asia/Seoul", None), ("TW", "Asia/Taipei", None),
    ("HK", "Asia/Hong_Kong", "en"), ("SG", "Asia/Singapore", "en"), ("MY", "Asia/Kuala_Lumpur", "en"),
    ("ID", "Asia/Jakarta", None), ("PH", "Asia/Manila", "en"), ("TH", "Asia/Bangkok", None),
    ("VN", "Asia/Ho_Chi_Minh", None), ("MU", "Indian/Mauritius", "fr"),
]

# Languages members say they speak, by site language (ISO 639-1).
SPOKEN = {"en": ["en"], "es": ["es", "en"], "fr": ["fr", "en"], "pt_BR": ["pt", "en", "es"], "ar": ["ar", "en", "fr"],
          None: ["en", "de", "it", "zh", "ja", "ru", "tr", "pl", "id"]}

FIRST_NAMES = [
    "Aisha", "Ana", "Andrea", "Ahmed", "Amina", "Ben", "Carlos", "Chen", "Chloe", "Daniel", "David", "Elena",
    "Emeka", "Fatima", "Felipe", "Grace", "Hana", "Hassan", "Ines", "Ivan", "Jana", "Javier", "Joao", "Julia",
    "Kemal", "Kofi", "Lars", "Laura", "Lina", "Lucas", "Maria", "Mariam", "Mateo", "Mei", "Mohammed", "Nadia",
    "Nikos", "Noor", "Olga", "Omar", "Paula", "Pedro", "Rahul", "Rania", "Sam", "Sara", "Sipho", "Sofia", "Tariq",
    "Thandiwe", "Tomas", "Valentina", "Wei", "Yasmin", "Yusuf", "Zainab", "Zeynep", "Akosua", "Bilal", "Camila",
]
LAST_NAMES = [
    "Abdullah", "Adeyemi", "Alvarez", "Andersen", "Bakker", "Banda", "Costa", "Cruz", "Das", "Dubois", "Evans",
    "Fernandes", "Garcia", "Gomez", "Haddad", "Hansen", "Hussain", "Ibrahim", "Ito", "Jensen", "Kaya", "Khan",
    "Kim", "Kowalski", "Kumar", "Lee", "Lopez", "Mensah", "Moreau", "Mwangi", "Nguyen", "Novak", "Okafor",
    "Oliveira", "Owusu", "Park", "Patel", "Perez", "Petrov", "Rahman", "Reyes", "Rossi", "Santos", "Schmidt",
    "Silva", "Singh", "Smith", "Suzuki", "Tan", "Torres", "Wang", "Yilmaz", "Zhang", "Mahlangu", "Nair",
]
SCHOOL_KINDS = ["Primary School", "Secondary School", "Academy", "International School", "High School", "College",
                "Lyceum", "Community School", "Grammar School", "Model School"]
SCHOOL_NAMES = ["Riverside", "Hillcrest", "St Mary's", "Green Valley", "Sunrise", "Lakeside", "Oakwood", "Horizon",
                "Cedar", "Harbour", "Northfield", "Unity", "Al Amal", "Victoria", "Rainbow", "Kings", "Pioneer",
                "Bright Future", "Mountain View", "Central"]

# What threads, resources and events are about, by subject.
TOPICS = {
    "art": ["colour theory", "printmaking", "sketchbooks", "clay modelling", "portraits"],
    "biology": ["photosynthesis", "cell division", "ecosystems", "genetics", "the human heart"],
    "chemistry": ["the periodic table", "acids and bases", "titration", "chemical bonding", "rates of reaction"],
    "computing": ["loops", "block coding", "debugging", "algorithms", "online safety"],
    "drama": ["improvisation", "script writing", "freeze frames", "stage fright", "school plays"],
    "english": ["persuasive writing", "poetry", "reading for pleasure", "grammar games", "debates"],
    "geography": ["rivers", "climate change", "map skills", "volcanoes", "urban fieldwork"],
    "history": ["timelines", "primary sources", "the industrial revolution", "ancient civilisations", "local history"],
    "languages": ["vocabulary games", "speaking practice", "pen pals", "verb tables", "listening tasks"],
    "mathematics": ["fractions", "algebra tiles", "times tables", "geometry", "problem solving"],
    "music": ["rhythm games", "composing", "singing assemblies", "music technology", "listening"],
    "pe": ["running clubs", "team games", "fitness circuits", "swimming lessons", "sports day"],
    "physics": ["forces", "electricity", "light and sound", "energy", "space"],
    "science": ["practical work", "the scientific method", "science fairs", "lab safety", "investigations"],
    "religious-education": ["world faiths", "festivals", "ethics", "visiting places of worship", "big questions"],
    "citizenship": ["democracy", "human rights", "student voice", "global goals", "community projects"],
    "special-needs": ["visual timetables", "sensory breaks", "differentiation", "assistive technology", "dyslexia"],
    "early-years": ["phonics", "outdoor play", "counting songs", "fine motor skills", "story time"],
    "leadership": ["coaching", "timetabling", "staff wellbeing", "school improvement", "parent evenings"],
    "edtech": ["class notebooks", "video calls", "immersive reader", "quizzes", "digital portfolios"],
    "other": ["assemblies", "homework", "behaviour", "tutor time", "school trips"],
}
FORMATS = ["lesson plan", "worksheet", "slide deck", "unit of work", "starter activity", "project brief",
           "revision guide", "assessment rubric", "parent letter", "video walkthrough"]
TITLES = {
    "en": ["{topic}: a {format} for ages {ages}", "Teaching {topic} with a {format}", "{topic} in ten minutes",
           "A {format} on {topic} that students enjoy", "Five ideas for {topic}"],
    "es": ["{topic}: plan de clase para {ages} años", "Cómo enseñar {topic}"],
    "fr": ["{topic} : séquence pour les {ages} ans", "Enseigner {topic} autrement"],
    "pt": ["{topic}: plano de aula para {ages} anos", "Como ensinar {topic}"],
}
QUESTIONS = ["How do you teach {topic} to a mixed-ability class?", "Best resources for {topic}?",
             "{topic} with no budget: ideas?", "How long do you spend on {topic}?",
             "Has anyone tried a {format} on {topic}?", "Assessing {topic}: what works for you?",
             "{topic} for ages {ages}: where do I start?"]
DISCUSSIONS = ["What worked this term: {topic}", "Share your favourite {format} on {topic}",
               "{topic}: lessons learned", "Our school's approach to {topic}", "A week of {topic}"]
OPENINGS = ["I have been thinking about this for a while.", "Quick question from a busy week.",
            "We tried something new this term.", "Our department is split on this.",
            "A colleague asked me and I did not know.", "Here is what happened in my class today."]
SENTENCES = [
    "My students respond best when they can **talk it through** in pairs first.",
    "We start with a two-minute starter on the board and it settles the room.",
    "I tried this with Year 8 and the *quiet ones* joined in for once.",
    "Low-stakes quizzes at the start of each lesson made the biggest difference.",
    "Keep the instructions short: one slide, three steps.",
    "Parents noticed the change at the last evening, which was lovely.",
    "It took three lessons before the routine stuck, so be patient.",
    "I share the resource in the library so others can adapt it.",
    "Exit tickets tell me who needs help tomorrow.",
    "The trick is to model it yourself before asking them to try.",
    "We used mini whiteboards so everyone answered at the same time.",
    "Group roles (reader, scribe, timekeeper, reporter) stopped one student doing everything.",
    "Our internet is slow, so everything is downloaded the night before.",
    "I would love to hear how this works with younger children.",
    "Thanks for sharing, I will try it on Monday.",
    "Agreed, and pairing it with a short reflection helps it stick.",
    "We link it to a real problem in our town and motivation goes up.",
    "A visual timetable on the wall helps the students who worry about change.",
    "Differentiated sentence starters help every level get going.",
    "I record short audio feedback instead of writing long comments.",
]
LISTS = ["- works for ages 11-16\n- needs no devices", "1. Model it\n2. Practise together\n3. Practise alone",
         "- a timer\n- sticky notes\n- a big sheet of paper"]
TAGS = sorted({word for words in TOPICS.values() for word in (w.replace(" ", "-") for w in words)}
              | {"lesson-plan", "worksheet", "assessment", "differentiation", "remote-learning", "wellbeing",
                 "homework", "feedback", "primary", "secondary", "low-cost", "project-based", "inclusion"})
EVENT_TITLES = ["{topic}: a connection call", "TweetMeet on {topic}", "Webinar: {topic} in practice",
                "Meetup: teachers of {subject}", "Ask an expert about {topic}", "{topic} show and tell"]
MESSAGES = ["Hi! I saw your post about {topic}. Could you share the worksheet?",
            "Thanks so much, that helped a lot.", "Would your class like a video call with mine next month?",
            "Are you going to the webinar on Thursday?", "I put the slides in the library, let me know what you think.",
            "Congratulations on the run last weekend!", "Happy to help. What age are your students?",
            "Our term starts next week, so after that works for me.", "Great, talk soon!",
            "Could we plan the project together? I teach {topic} too."]
ACTIVITY_TITLES = {"run": ["Easy run", "Park loop", "Long run", "Tempo run", "Before-school run"],
                   "ride": ["Commute to school", "Weekend ride", "Hill climb", "Coffee ride"],
                   "walk": ["Lunch walk", "Evening walk", "Walk with the dog", "Hike"],
                   "swim": ["Pool session", "Open water swim", "Lengths before work"]}
GROUP_NAMES = ["{place} {what}", "{what} of {place}", "{subject} teachers' {what}"]
GROUP_WHATS = {"running": "Runners", "cycling": "Cyclists", "walking": "Walkers", "swimming": "Swimmers",
               "mixed": "Active Teachers", "interest": "Circle"}
