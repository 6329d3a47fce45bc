"""The open-door lesson: the leak's database served by a real PostgreSQL server, open or locked.

:mod:`~lab.db.binaries` (finding PostgreSQL), :mod:`~lab.db.cluster` (a server in a state folder,
on 127.0.0.1 only), :mod:`~lab.db.load` (the registry and its sightings, stored as the leak stored
them), :mod:`~lab.db.lock` (passwords, roles, column privileges, row-level security and a view that
suppresses small counts), :mod:`~lab.db.scan` (who answers on loopback without a password) and
:mod:`~lab.db.commands` (``privacy-lab db``).
"""
