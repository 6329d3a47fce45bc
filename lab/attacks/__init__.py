"""Attacks: what an adversary learns from a release (see the risk-engine issue)."""
