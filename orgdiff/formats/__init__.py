"""Outside formats, one module per format (read and write): csv."""
