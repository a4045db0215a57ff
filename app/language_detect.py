"""Which language a text is written in (langdetect, deterministic).

langdetect (a port of Google's language-detection: character n-gram
profiles) was chosen over lingua for its footprint: loading only the
profiles of the languages in `vocabulary.LANGUAGES` costs about 9 MB and
50 ms, once per process, and a detection 2-20 ms; lingua is more accurate on
very short texts but takes about 800 MB with every model (60 MB in its low
accuracy mode) and a 160 MB wheel. Titles and descriptions alone are often
short, so a text with too few letters, or no clear winner, gives None.

langdetect draws random samples of the n-grams: a fixed seed makes the same
text give the same answer every time.
"""

from __future__ import annotations

import threading
from importlib import resources

from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from app.vocabulary import LANGUAGES

MIN_LETTERS = 20  # fewer letters than this: no guess
MIN_PROBABILITY = 0.8  # a weaker winner: no guess
SAMPLE_CHARS = 5_000  # enough to tell; keeps a long file's detection in milliseconds
SEED = 0
# langdetect's profile names where they are not the ISO 639-1 code
_PROFILE_CODES = {"zh": ("zh-cn", "zh-tw")}

_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()


def _load() -> DetectorFactory:
    """The detector factory over our languages' profiles, loaded once."""
    global _factory
    with _factory_lock:
        if _factory is None:
            folder = resources.files("langdetect") / "profiles"
            names = [name for code in LANGUAGES for name in _PROFILE_CODES.get(code, (code,))]
            profiles = [(folder / name).read_text(encoding="utf-8") for name in names
                        if (folder / name).is_file()]
            factory = DetectorFactory()
            factory.load_json_profile(profiles)
            factory.set_seed(SEED)
            _factory = factory
    return _factory


def detect_language(*parts: str | None) -> str | None:
    """The ISO 639-1 code of the language the parts (title, description,
    text...) are written in, or None when they are too short or unclear."""
    text = "\n".join(part for part in parts if part)[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    detector = _load().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    if best.prob < MIN_PROBABILITY:
        return None
    return best.lang.split("-")[0]
