"""Issue 18, finding 1: without LMS_CONFIG the app is production, and production refuses keys
anyone can read (short ones, and every key written in this repository); development's key is
random, written once into the instance folder by `flask lms secret-key` (make run)."""
import os
import secrets
import stat
import subprocess
import sys

import pytest

import config
from lms import create_app
from lms.cli import lms_cli

ROOT = os.path.join(os.path.dirname(__file__), "..")
PROBE = """
from lms.wsgi import app
response = app.test_client().get("/auth/login")
print(app.config["DEBUG"], response.status_code)
"""
SETTINGS = ("LMS_CONFIG", "SECRET_KEY", "DATABASE_URL", "PUBLIC_URL", "FLASK_DEBUG")


def wsgi(tmp_path, **settings) -> subprocess.CompletedProcess:
    """Import lms.wsgi as gunicorn does, in an interpreter of its own, with only `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, env={**env, **settings}, timeout=120)


def test_the_wsgi_entry_without_lms_config_refuses_to_start_without_a_key(tmp_path):
    result = wsgi(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_the_wsgi_entry_without_lms_config_runs_production(tmp_path):
    result = wsgi(tmp_path, SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL="http://localhost",
                  DATABASE_URL="sqlite:///" + str(tmp_path / "lms.sqlite"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "200"]  # no debug mode, and it serves


def production(monkeypatch, tmp_path, key: str):
    """create_app("production") with `key`, set both in the environment and as the setting."""
    settings = {"SECRET_KEY": key, "DATABASE_URL": "sqlite:///" + str(tmp_path / "p.sqlite"),
                "PUBLIC_URL": "https://lms.example.org"}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return create_app("production", SECRET_KEY=key, PUBLIC_URL=settings["PUBLIC_URL"],
                      SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"])


@pytest.mark.parametrize("key", ["x", "a" * 31, "ключ" * 3])
def test_production_refuses_a_key_shorter_than_32_bytes(monkeypatch, tmp_path, key):
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        production(monkeypatch, tmp_path, key)


# Written in this repository's history: config.py's development default and test keys.
WRITTEN_KEYS = ["dev-only-not-secret", "test-secret",
                "test-secret-known-to-everyone-who-reads-config-py"]


@pytest.mark.parametrize("key", WRITTEN_KEYS)
def test_production_refuses_every_key_written_in_the_repository(monkeypatch, tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production(monkeypatch, tmp_path, key)


def test_the_keys_of_development_and_test_are_on_the_denylist():
    assert set(WRITTEN_KEYS) <= config.PUBLIC_KEYS
    assert config.TestConfig.SECRET_KEY in config.PUBLIC_KEYS
    assert "dev-only-not-secret" in config.PUBLIC_KEYS  # the former development default
    assert len(config.TestConfig.SECRET_KEY.encode()) >= config.MIN_SECRET_KEY_BYTES


def test_production_starts_with_a_random_key(monkeypatch, tmp_path):
    app = production(monkeypatch, tmp_path, "ключ" * 4)  # 32 bytes in UTF-8
    assert app.config["DEBUG"] is False and app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("url", [None, "", "lms.example.org", "ftp://lms.example.org",
                                 "https://", "https://lms.example.org/?a=1"])
def test_production_requires_a_public_url(monkeypatch, tmp_path, url):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app("production", SECRET_KEY=secrets.token_urlsafe(32), PUBLIC_URL=url,
                   SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "p.sqlite"))


def test_the_test_configuration_keeps_its_own_key(app):
    assert app.config["SECRET_KEY"] == config.TEST_SECRET_KEY


def test_development_never_falls_back_to_a_known_key():
    key = config.DevelopmentConfig.SECRET_KEY
    assert key not in config.PUBLIC_KEYS and len(key) >= config.MIN_SECRET_KEY_BYTES


def test_the_key_command_writes_a_random_key_once_and_development_reads_it(app, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    monkeypatch.setattr(config, "INSTANCE_FOLDER", str(tmp_path / "instance"))
    runner = app.test_cli_runner()
    first = runner.invoke(lms_cli, ["secret-key"])
    assert first.exit_code == 0 and "written" in first.output
    path = tmp_path / "instance" / config.SECRET_KEY_FILE
    key = path.read_text().strip()
    assert len(key) >= config.MIN_SECRET_KEY_BYTES and key not in config.PUBLIC_KEYS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = runner.invoke(lms_cli, ["secret-key"])
    assert again.exit_code == 0 and "kept" in again.output
    assert path.read_text().strip() == key  # written once: sessions survive a restart
    assert config._instance_secret_key() == key


def test_development_reads_its_key_from_the_folder_the_command_writes_to(app):
    assert os.path.realpath(config.INSTANCE_FOLDER) == os.path.realpath(app.instance_path)


def test_make_run_writes_the_key_before_serving():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as file:
        makefile = file.read()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run.index("flask lms secret-key") < run.index("flask run")
    assert "export LMS_CONFIG ?= development" in makefile


def test_the_readme_production_commands_set_every_required_setting():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as file:
        section = file.read().split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    commands = section.split("```sh\n", 1)[1].split("```", 1)[0]
    for name in ("LMS_CONFIG=production", "SECRET_KEY=", "DATABASE_URL=", "PUBLIC_URL="):
        assert f"export {name}" in commands
    assert "lms.wsgi:app" in commands and "32 bytes" in section
