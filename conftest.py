"""Loaded before Django is set up: tests run with CAS_ENV=test unless told otherwise."""

import os

os.environ.setdefault("CAS_ENV", "test")
