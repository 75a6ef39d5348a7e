"""The seed of the world the simulate tests share (see conftest.py)."""

SEED = 20240607
