"""Browser end-to-end tests (see conftest.py)."""
