"""Drafter (文稿助手): a drafting and review assistant for the writers of a Party or government office."""

__version__ = "0.1.0"
