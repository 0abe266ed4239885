"""Configuration: built-in defaults < ``drafter.toml`` in the instance folder < environment variables.

Environment: ``DRAFTER_DB``, ``DRAFTER_SECRET_KEY``, ``DRAFTER_MODEL_DIR``, ``DRAFTER_UPLOAD_LIMIT_MB``,
``DRAFTER_INSTANCE`` (the instance folder, default ``./instance``).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DB_URL = "sqlite:///instance/drafter.db"
CONFIG_FILE = "drafter.toml"


class ConfigError(Exception):
    """The configuration is unusable; the message is Chinese and says what to fix."""


@dataclass
class Settings:
    """Resolved settings of one Drafter instance."""

    instance_path: Path = Path("instance")
    db_url: str = DEFAULT_DB_URL
    secret_key: str | None = None
    model_dir: Path = Path("models")
    upload_limit_mb: int = 20
    #: Per-rule settings by id: "off", or a severity ("error", "warning", "info").
    rules: dict[str, str] = field(default_factory=dict)
    #: Anything else from drafter.toml, by table, for the parts of the app that own it.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def upload_limit_bytes(self) -> int:
        """The upload and import size limit in bytes."""
        return self.upload_limit_mb * 1024 * 1024


def load_settings(instance_path: str | Path | None = None, db_url: str | None = None,
                  environ: dict[str, str] | None = None) -> Settings:
    """Resolve settings; an explicit ``db_url`` (the ``--db`` option) wins over everything."""
    env = os.environ if environ is None else environ
    instance = Path(instance_path or env.get("DRAFTER_INSTANCE") or "instance")
    settings = Settings(instance_path=instance)
    file = instance / CONFIG_FILE
    if file.is_file():
        _apply_file(settings, file)
    if env.get("DRAFTER_DB"):
        settings.db_url = env["DRAFTER_DB"]
    if env.get("DRAFTER_SECRET_KEY"):
        settings.secret_key = env["DRAFTER_SECRET_KEY"]
    if env.get("DRAFTER_MODEL_DIR"):
        settings.model_dir = Path(env["DRAFTER_MODEL_DIR"])
    if env.get("DRAFTER_UPLOAD_LIMIT_MB"):
        settings.upload_limit_mb = _positive_int(env["DRAFTER_UPLOAD_LIMIT_MB"], "DRAFTER_UPLOAD_LIMIT_MB")
    if db_url:
        settings.db_url = db_url
    return settings


def _apply_file(settings: Settings, file: Path) -> None:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {file} 格式错误：{exc}") from exc
    settings.db_url = data.pop("database_url", settings.db_url)
    settings.secret_key = data.pop("secret_key", settings.secret_key)
    if "model_dir" in data:
        settings.model_dir = Path(data.pop("model_dir"))
    if "upload_limit_mb" in data:
        settings.upload_limit_mb = _positive_int(data.pop("upload_limit_mb"), "upload_limit_mb")
    rules = data.pop("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"配置文件 {file} 中的 [rules] 必须是“规则编号 = 设置”的表")
    settings.rules = {str(k): str(v) for k, v in rules.items()}
    settings.extra = data


def _positive_int(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        raise ConfigError(f"{name} 必须是正整数，当前为“{value}”")
    return number


def ensure_secret_key(settings: Settings) -> str:
    """The demo command's secret key: the configured one, else one generated once into the instance folder."""
    if settings.secret_key:
        return settings.secret_key
    key_file = settings.instance_path / "secret_key"
    if key_file.is_file():
        settings.secret_key = key_file.read_text(encoding="utf-8").strip()
    else:
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        settings.secret_key = secrets.token_hex(32)
        key_file.write_text(settings.secret_key, encoding="utf-8")
        key_file.chmod(0o600)
    return settings.secret_key
