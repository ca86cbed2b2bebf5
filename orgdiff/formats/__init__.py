"""Outside formats: one module per format, each reading or writing that format."""
