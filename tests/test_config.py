"""Tests for drafter.config."""

import pytest

from drafter.config import ConfigError, ensure_secret_key, load_settings


def test_defaults(tmp_path):
    settings = load_settings(instance_path=tmp_path, environ={})
    assert settings.db_url == "sqlite:///instance/drafter.db" and settings.upload_limit_mb == 20


def test_file_then_environment_then_option(tmp_path):
    (tmp_path / "drafter.toml").write_text(
        'database_url = "sqlite:///file.db"\nupload_limit_mb = 5\n[rules]\n"structure.lone-child" = "off"\n'
        '[typos]\nlm_path = "/x.lm"\n', encoding="utf-8")
    from_file = load_settings(instance_path=tmp_path, environ={})
    assert from_file.db_url == "sqlite:///file.db" and from_file.upload_limit_bytes == 5 * 1024 * 1024
    assert from_file.rules == {"structure.lone-child": "off"} and from_file.extra == {"typos": {"lm_path": "/x.lm"}}
    env = {"DRAFTER_DB": "sqlite:///env.db", "DRAFTER_UPLOAD_LIMIT_MB": "7", "DRAFTER_SECRET_KEY": "k"}
    from_env = load_settings(instance_path=tmp_path, environ=env)
    assert (from_env.db_url, from_env.upload_limit_mb, from_env.secret_key) == ("sqlite:///env.db", 7, "k")
    assert load_settings(instance_path=tmp_path, db_url="sqlite:///opt.db", environ=env).db_url == "sqlite:///opt.db"


@pytest.mark.parametrize("content", ["not = [valid", "upload_limit_mb = -3", "rules = 5"])
def test_bad_config_file(tmp_path, content):
    (tmp_path / "drafter.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(instance_path=tmp_path, environ={})


def test_secret_key_generated_once(tmp_path):
    first = ensure_secret_key(load_settings(instance_path=tmp_path, environ={}))
    second = ensure_secret_key(load_settings(instance_path=tmp_path, environ={}))
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
