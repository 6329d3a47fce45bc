"""Measurements on a world and its releases; the only package that reads the ground truth."""

from lab.metrics import realism

__all__ = ["realism"]
