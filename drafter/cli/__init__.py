"""The ``drafter`` command: parses arguments, calls services, renders results. No logic of its own.

Sub-commands live in the modules of :data:`COMMAND_MODULES`; each defines ``register(main)``.
"""

from __future__ import annotations

import importlib

import click

#: Modules whose ``register(group)`` adds sub-commands, in help order.
COMMAND_MODULES = [
    "drafter.cli.archive",
    "drafter.cli.check",
    "drafter.cli.serve",
    "drafter.cli.phrases",
    "drafter.cli.users",
    "drafter.cli.reuse",
    "drafter.cli.search",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drafter")
def main() -> None:
    """文稿助手 Drafter：公文起草、审阅与文稿档案工具。"""


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(main)
