"""Load orchestration: the one place loaders meet the store, for the CLI and ``/publish`` alike.

- ``load``: validate a file and write it as one dataset, atomically (``load_file``,
  ``validate_file``);
- ``stream``: the rows of a file streamed through the loader and the shapes, in chunks;
- ``manifest``: many files in one process, each its own dataset;
- ``spool``: their reading and validating in worker processes, one writer (``--jobs``);
- ``steps``: a load followed by its link and the one summary refresh (``load_and_link``),
  the sequence ``svcat load`` and ``/publish`` both run.
"""

from catalogue.ingest.load import LoadOutcome, collect_orphans, load_file, validate_file

__all__ = ["LoadOutcome", "collect_orphans", "load_file", "validate_file"]
