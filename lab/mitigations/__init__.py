"""Mitigations: protections a data holder applies before a release."""
