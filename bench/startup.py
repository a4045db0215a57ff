"""Building the app: `create_app()` as every worker and every test pays it.

Two costs are deferred to first use (docs/ARCHITECTURE.md, "How the factory
wires it"): each URL rule compiles its builder on its first `url_for`
(`app/routing.py`), and the OpenAPI document is written when `api.spec` is
first read (`StaffroomApi`). This measures, in one run and one process, the
app as built (`lazy`) against the same app with both costs paid at once, as
the libraries would without us (`eager`: every builder compiled, the document
written), and the price of paying them later (`first url_for of every rule`,
`first spec read`). Median of --repeat builds each, alternating.

Run: make bench BENCH=startup    (or .venv/bin/python bench/startup.py [--repeat N] [--json PATH])
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _common import REPO, git_commit

sys.path.insert(0, str(REPO))
from werkzeug.routing import Rule as WerkzeugRule  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import api  # noqa: E402


def build(folder: Path):
    """One app on an empty SQLite file, as a test or a worker builds it."""
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": folder / "instance",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                       "UPLOAD_DIR": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "index"),
                       "REDIS_URL": None, "SEARCH_WORKER": "off", "MAIL_WORKER": "off"})


def compile_builders(app) -> None:
    """What Werkzeug does as each rule is added: compile both its builders."""
    for rule in app.url_map.iter_rules():
        for append_unknown in (False, True):
            WerkzeugRule._compile_builder(rule, append_unknown)  # noqa: SLF001


def timed(action, *args):
    """(seconds, what `action(*args)` returned)."""
    started = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - started, result


def eager(folder: Path):
    """The app with both costs paid at once, as the libraries would."""
    app = build(folder)
    compile_builders(app)
    api.spec.to_dict()
    return app


def measure(repeat: int) -> dict:
    samples: dict[str, list[float]] = {"lazy": [], "eager": [], "builders": [], "spec": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder)  # imports and the first-build caches, for both alike
        for _ in range(repeat):
            samples["eager"].append(timed(eager, folder)[0])
            seconds, app = timed(build, folder)
            samples["lazy"].append(seconds)
            samples["builders"].append(timed(compile_builders, app)[0])
            samples["spec"].append(timed(lambda: api.spec.to_dict())[0])  # reading spec writes it
        rules = sum(1 for _ in app.url_map.iter_rules())
    median = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    return {"rules": rules, "repeat": repeat, "median_ms": {k: round(v, 1) for k, v in median.items()},
            "eager_over_lazy": round(median["eager"] / median["lazy"], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "startup.json")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    load_before = [round(x, 2) for x in os.getloadavg()]
    result = measure(args.repeat)
    ms = result["median_ms"]
    print(f"create_app, {result['rules']} URL rules, median of {args.repeat}, load {load_before[0]}")
    print(f"{'build':<44}{'ms':>8}")
    for label, key in (("lazy (as shipped)", "lazy"), ("eager (builders compiled, document written)", "eager"),
                       ("later: every rule's first url_for", "builders"), ("later: the first spec read", "spec")):
        print(f"{label:<44}{ms[key]:>8.1f}")
    print(f"eager / lazy: {result['eager_over_lazy']}x")
    report = {"benchmark": "startup", **result, "cpu_count": os.cpu_count(), "machine": platform.platform(),
              "load_average_before": load_before, "git_commit": git_commit(),
              "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
