"""The WSGI entry point for servers other than ``drafter serve --production``.

``gunicorn 'drafter.wsgi:application'``, ``waitress-serve --call drafter.wsgi:create`` or mod_wsgi load it.
Settings come from the environment and ``instance/drafter.toml`` (``DRAFTER_SECRET_KEY`` is required).
Importing this module builds the app; the rest of the package never builds one at import time.
"""

from __future__ import annotations

from flask import Flask


def create() -> Flask:
    """The app with the instance's settings, its checks warmed up (refuses to start without a secret key)."""
    from drafter.config import load_settings
    from drafter.web.production import build_worker_app, check_settings

    settings = load_settings()
    check_settings(settings)
    return build_worker_app(settings)


application = create()
