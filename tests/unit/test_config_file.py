"""The config file layer: precedence flag > environment > file > default, decided once, and
bad files or values reported (file, line, key) without stopping anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hnterm.config import DEFAULT_LIVE_INTERVAL, Config, config_path, load_file

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def hnterm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real command, with no HNTERM_ variables but those given."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HNTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "hnterm", *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_flag_beats_environment_beats_file_beats_default(tmp_path):
    path = write(
        tmp_path,
        'api_url = "http://file/v0/"\ncache_max_mb = 11\nrequest_deadline = 5\n'
        'theme = "nord"\nlive_interval = 2.5\n',
    )
    env = {"HNTERM_API_URL": "http://env/v0/", "HNTERM_CACHE_MAX_MB": "22"}
    config = Config.build(api_url="http://flag/v0/", file=load_file(path), env=env)
    assert config.api_url == "http://flag/v0/"  # flag over environment and file
    assert config.cache_max_mb == 22  # environment over file
    assert (config.deadline, config.theme, config.live_interval) == (5.0, "nord", 2.5)
    assert config.list_width is None and config.live  # defaults where nothing set them
    origins = config.origins
    assert (origins["api_url"], origins["cache_max_mb"], origins["theme"]) == (
        "flag",
        "environment",
        "file",
    )
    assert origins["list_width"] == "default" and not config.problems


def test_no_file_means_defaults_and_no_problem(tmp_path):
    layer = load_file(tmp_path / "absent.toml")
    config = Config.build(file=layer, env={})
    assert not layer.exists and not config.problems
    assert config.live_interval == DEFAULT_LIVE_INTERVAL
    assert set(config.origins.values()) == {"default"}


def test_config_path_follows_the_environment(tmp_path):
    assert config_path({"HNTERM_CONFIG": str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    assert config_path({}).name == "config.toml"


def test_a_bad_value_names_file_line_and_key_and_the_rest_still_applies(tmp_path):
    path = write(
        tmp_path,
        '# mine\ncache_max_mb = 10\nlive_interval = "soon"\ncolour = "red"\n'
        'list_width = 30\n[keys]\n"comments.next" = 3\n',
    )
    config = Config.build(file=load_file(path), env={})
    assert (config.cache_max_mb, config.list_width) == (10, 30)
    assert config.live_interval == DEFAULT_LIVE_INTERVAL and not config.keys
    problems = "\n".join(config.problems)
    assert f"config file {path}: line 3, live_interval: must be a number" in problems
    assert "line 4, colour: unknown setting" in problems
    assert "line 7, keys.comments.next: keys must be a string" in problems


def test_a_file_that_is_not_toml_gives_tomllibs_line_and_defaults(tmp_path):
    path = write(tmp_path, 'theme = "nord"\nlist_width = = 3\n')
    config = Config.build(file=load_file(path), env={})
    assert config.theme is None and config.list_width is None
    (problem,) = config.problems
    assert problem.startswith(f"config file {path}: not valid TOML")
    assert "line 2" in problem


def test_a_bad_environment_value_is_reported_and_the_file_applies(tmp_path):
    path = write(tmp_path, "cache_max_mb = 12\n")
    config = Config.build(file=load_file(path), env={"HNTERM_CACHE_MAX_MB": "lots"})
    assert config.cache_max_mb == 12 and config.origins["cache_max_mb"] == "file"
    assert config.problems == (
        "environment HNTERM_CACHE_MAX_MB='lots': must be a whole number from 0 to 10000000; "
        "ignored",
    )


def test_theme_tables_inline_and_from_a_file(tmp_path):
    (tmp_path / "sunset.toml").write_text('name = "x"\nprimary = "#ff8800"\ndark = true\n')
    path = write(
        tmp_path,
        '[themes.mine]\nprimary = "#112233"\ndark = false\n'
        '[themes.sunset]\nfile = "sunset.toml"\n'
        '[themes.broken]\nprimary = "#000000"\nsparkle = 1\n',
    )
    config = Config.build(file=load_file(path), env={})
    assert config.themes["mine"] == {"primary": "#112233", "dark": False}
    assert config.themes["sunset"] == {"primary": "#ff8800", "dark": True}
    assert "broken" not in config.themes
    problems = "\n".join(config.problems)
    assert "line 6, themes.broken: unknown theme field(s) sparkle" in problems


def test_hnterm_config_prints_path_values_and_origins(tmp_path):
    path = write(tmp_path, 'theme = "nord"\ncache_max_mb = 9\n[keys]\n"app.help" = "f1"\n')
    done = hnterm(
        "config",
        "--api-url",
        "http://flag/v0/",
        env={"HNTERM_CONFIG": str(path), "HNTERM_LIVE_INTERVAL": "7"},
    )
    assert done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == f"# config file: {path}"
    by_key = {line.split()[0]: line for line in lines[1:] if " = " in line}
    assert by_key["api_url"].endswith("# flag") and '"http://flag/v0/"' in by_key["api_url"]
    assert by_key["live_interval"].endswith("# environment") and "7.0" in by_key["live_interval"]
    assert by_key["theme"].endswith("# file") and by_key["cache_max_mb"].startswith(
        "cache_max_mb = 9 "
    )
    assert by_key["request_deadline"].endswith("# default")
    assert '"app.help" = "f1"' in done.stdout


def test_a_broken_file_is_one_line_on_stderr_and_the_command_still_works(tmp_path):
    path = write(tmp_path, "cache_max_mb = [\nlist_width = 30\n")
    done = hnterm("config", env={"HNTERM_CONFIG": str(path)})
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"hnterm: config file {path}: not valid TOML") and "line " in line
    assert "cache_max_mb = 500 " in done.stdout


def test_hnterm_config_dir_holds_config_toml_as_it_holds_the_session(tmp_path):
    """``$HNTERM_CONFIG_DIR`` moves the whole config folder: config.toml with the session
    (before: the session only; config.toml stayed in the platform's folder)."""
    assert config_path({"HNTERM_CONFIG_DIR": str(tmp_path)}) == tmp_path / "config.toml"
    assert config_path({"HNTERM_CONFIG_DIR": str(tmp_path), "HNTERM_CONFIG": "/x.toml"}) == Path(
        "/x.toml"
    )  # a file named outright still wins
    path = write(tmp_path, "cache_max_mb = 7\n")
    done = hnterm("config", env={"HNTERM_CONFIG_DIR": str(tmp_path)})
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines()[0] == f"# config file: {path}"
    assert "cache_max_mb = 7 " in done.stdout and "# file" in done.stdout


def test_hnterm_config_shows_the_web_url_the_cookie_goes_to(tmp_path):
    done = hnterm("config", env={"HNTERM_CONFIG": str(tmp_path / "none.toml")})
    assert done.returncode == 0
    (web,) = [line for line in done.stdout.splitlines() if "web_url" in line]
    assert web.startswith('# web_url = "https://news.ycombinator.com"')
    assert web.endswith("# default: the HN session cookie is sent here only")

    env = {"HNTERM_CONFIG": str(tmp_path / "none.toml"), "HNTERM_WEB_URL": "http://127.0.0.1:9/"}
    shown = json.loads(hnterm("config", "--json", env=env).stdout)["web_url"]
    assert shown == {
        "value": "http://127.0.0.1:9",
        "origin": "environment (HNTERM_WEB_URL)",
        "note": "the HN session cookie is sent here only",
    }
    flagged = hnterm("config", "--json", "--web-url", "https://hn.example", env=env).stdout
    assert json.loads(flagged)["web_url"]["origin"] == "flag"
    env["HNTERM_WEB_URL"] = "http://example.com"  # refused: the cookie goes nowhere
    shown = json.loads(hnterm("config", "--json", env=env).stdout)["web_url"]
    assert shown["value"] == "http://example.com" and "refused" in shown["note"]
