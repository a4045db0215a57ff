"""bench/run.py's options and figures, without a real load: the database it
measures on, Redis only when asked, the seeding of each scale, the bare
app, and the table and ratios it prints."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))  # run.py imports its neighbours as a script does
_spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)

pytestmark = pytest.mark.one_database  # options and arithmetic; PostgreSQL has its own test below


def test_defaults_measure_the_demo_on_sqlite_without_redis_at_8_connections():
    args = run.parse_args([])
    assert (args.connections, args.scales, args.database_url, args.redis_url) == (8, ["demo"], None, None)
    assert args.pages[0].name == "hello"


def test_both_scales_and_the_services_are_options():
    args = run.parse_args(["--scale", "both", "--only", "home", "--connections", "16",
                           "--database-url", "postgresql://postgres@127.0.0.1:5432/test",
                           "--redis-url", "redis://127.0.0.1:6379/1"])
    assert args.scales == ["demo", "community"]
    assert [p.name for p in args.pages] == ["hello", "home"]
    assert args.connections == 16
    assert args.database_url.startswith("postgresql://") and args.redis_url.startswith("redis://")


@pytest.mark.parametrize("argv", [
    ["--database-url", "sqlite:///elsewhere.db"],
    ["--redis-url", "http://127.0.0.1:6379"],
    ["--scale", "huge"],
    ["--only", "nowhere"],
    ["--connections", "0"],
])
def test_bad_options_are_refused(argv):
    with pytest.raises(SystemExit):
        run.parse_args(argv)


def test_redis_only_when_asked_and_under_keys_of_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")  # a developer's own
    env = run.site_env(tmp_path, "sqlite:///x.db")
    assert "REDIS_URL" not in env and env["DATABASE_URL"] == "sqlite:///x.db"
    env = run.site_env(tmp_path, "sqlite:///x.db", "redis://127.0.0.1:6379/1", "ab12")
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/1"
    assert env["RATELIMIT_KEY_PREFIX"] == env["SOCKETIO_CHANNEL"] == "staffroom-bench-ab12"


def test_each_scale_seeds_with_its_command():
    assert run.SEEDS["demo"] == ["seed-demo"]
    assert run.SEEDS["community"] == ["seed-demo", "--scale", "community"]


def test_a_seed_command_without_the_scale_option_says_so():
    output = ("Usage: flask seed-demo [OPTIONS]\nTry 'flask seed-demo --help' for help.\n\n"
              "Error: No such option: --scale")
    message = run.seed_failure("community", output)
    assert "no --scale option" in message and "--scale demo" in message
    assert run.seed_failure("demo", "Error: the database already has users").startswith("flask seed-demo failed")


def test_the_seed_command_of_this_checkout_seeds_a_community(tmp_path):
    env = run.site_env(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")
    done = run.flask(env, *run.SEEDS["community"], "--help")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_checkout_without_the_community_seed_is_named_plainly():
    """An older checkout (`--repo`-style comparisons) has no --scale: the bench says so."""
    said = run.seed_failure("community", "Usage: flask seed-demo [OPTIONS]\nError: No such option: --scale")
    assert "no --scale option" in said and "--scale demo" in said


def test_the_index_is_rebuilt_when_the_status_says_it_is_behind():
    fine = "type  database  index\npost  1037  1037\npending jobs: 0\nfiles waiting for their text to be read: 0\n"
    assert not run.index_behind(fine)
    assert run.index_behind("post  1037  0  <- differs (drain or reindex)\npending jobs: 0\n")
    assert run.index_behind(fine.replace("pending jobs: 0", "pending jobs: 12"))


def test_a_fresh_sqlite_file_by_default(tmp_path):
    with run.fresh_database(None, tmp_path, "demo") as url:
        assert url == f"sqlite:///{tmp_path / 'demo.db'}"


@pytest.mark.skipif(not os.environ.get("STAFFROOM_TEST_DATABASE_URL"), reason="PostgreSQL not configured "
                    "(set STAFFROOM_TEST_DATABASE_URL)")
def test_a_database_of_its_own_on_postgresql_dropped_afterwards(tmp_path):
    import psycopg  # noqa: PLC0415 (only with PostgreSQL)

    server = os.environ["STAFFROOM_TEST_DATABASE_URL"]
    admin = run.postgres_admin_url(server)

    def databases() -> set[str]:
        with psycopg.connect(admin) as conn:
            return {name for (name,) in conn.execute("SELECT datname FROM pg_database")}

    before = databases()
    with run.fresh_database(server, tmp_path, "demo") as url:
        [made] = databases() - before
        assert made.startswith("staffroom_bench_demo_") and url.endswith(f"/{made}")
        with psycopg.connect(run.postgres_admin_url(url)) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (made,)
    assert databases() == before


def test_the_bare_app_is_flask_with_one_route():
    import bare_app  # noqa: PLC0415 (bench/ is on the path only for this module)

    assert bare_app.app.extensions == {}
    assert [rule.rule for rule in bare_app.app.url_map.iter_rules() if rule.endpoint != "static"] == [run.HELLO]
    response = bare_app.app.test_client().get(run.HELLO)
    assert (response.status_code, response.get_data(as_text=True)) == (200, "hello")


def _row(name, scale, rps, cpu_us=None):
    return {"name": name, "scale": scale, "path": "/", "needs_login": False, "requests": int(rps * 5),
            "requests_per_s": rps, "p50_ms": 1.0, "p99_ms": 9.0, "errors": 0, "cpu_us": cpu_us or 1e6 / rps}


def test_pages_as_shares_of_bare_and_of_hello_side_by_side():
    bare = [{**_row("bare", None, 2000.0), "when": "first"}, {**_row("bare", None, 1800.0), "when": "last"}]
    rows = [_row("hello", "demo", 1330.0), _row("home", "demo", 190.0),
            _row("hello", "community", 1300.0), _row("home", "community", 95.0)]
    run.add_ratios(rows, bare)
    home_demo, home_community = rows[1], rows[3]
    assert home_demo["pct_bare"] == 10.0 and home_demo["pct_hello"] == 14.3
    assert home_community["pct_bare"] == 5.0 and rows[0]["pct_bare"] == 70.0
    assert home_demo["cpu_pct_bare"] == round(100 * 190 * (1 / 2000 + 1 / 1800) / 2, 1)
    seeding = {"demo": {"seed": 20.0}, "community": {"seed": 200.0}}
    lines = run.table({"pages": rows, "bare": bare, "seeding_s": seeding})
    header = next(line for line in lines if line.startswith("page"))
    assert header.count("% bare") == 2 and header.rstrip().endswith("x slower")
    home = next(line for line in lines if line.startswith("home"))
    assert home.split()[-1] == "2.00"  # twice the time a request at community size
    assert home.split()[7] == f"{1e6 / 190:.0f}"  # the server's CPU µs a request
    assert any("drift" in line and "-10.0%" in line for line in lines)
    assert any(line.startswith("seeding community: 200.0s") for line in lines)


def test_hello_rounds_takes_the_ratios_within_each_round():
    import hello_rounds  # noqa: PLC0415 (bench/ is on the path only for this module)

    def row(rps, cpu):
        return {"requests_per_s": rps, "cpu_us": cpu}

    rows = {"bare": [row(3000, 300), row(2000, 400), row(3500, 280)],
            "app": [row(1500, 600), row(1200, 650), row(2800, 350)]}
    figures = hello_rounds.summary(rows)
    assert figures["app"]["pct_bare"] == [50.0, 60.0, 80.0] and figures["app"]["pct_bare_median"] == 60.0
    assert figures["app"]["cpu_pct_bare"] == [50.0, 61.5, 80.0] and figures["app"]["cpu_us_median"] == 600
    assert figures["bare"] == {"requests_per_s_median": 3000, "cpu_us_median": 300}
