"""Outside formats, one module per format, each reading or writing one format
and nothing else (the ``networkx.readwrite`` pattern).

- :mod:`orgdiff.formats.csv`: HR exports in, one row per person (``orgdiff import``);
  the same shape out (:func:`~orgdiff.formats.csv.write_csv`).
- :mod:`orgdiff.formats.html`: one self-contained, interactive HTML page of a
  snapshot or of the whole timeline.
"""
