"""Hostile inputs (issue 7): each case is built on the fly, run through `run` and the CLI, and checked."""
