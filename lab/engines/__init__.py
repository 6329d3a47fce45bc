"""Where the seeded blocks of people run: this machine's process pool (:func:`lab.generate.iter_blocks`)
or a Dask cluster (:mod:`lab.engines.dask`). The blocks and their seeds are the same, so the bytes are."""

#: The engines `privacy-lab generate --engine` accepts.
ENGINES = ("local", "dask")

__all__ = ["ENGINES"]
