"""Pure text analytics: ``str`` in, dataclasses out.

Nothing in this package may import Flask, SQLAlchemy or sqlite3, or read anything but its own data files
and ``models/``. The store and web layers call into it; it never calls back.
"""
