"""Use cases that combine the store and the pure analysis layer; the CLI and the web app call only these."""
