"""How a run is carried out: chunks of documents on a process pool, merged back in id order.

:mod:`~cleaner.engine.tasks` holds the per-chunk work (clean; strip boilerplate, write records
and sketch), :mod:`~cleaner.engine.pool` runs it on worker processes in order with bounded memory,
and :mod:`~cleaner.engine.merge` merges the chunks' records into the output files.
"""
