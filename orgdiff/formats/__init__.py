"""Outside formats, one module per format: each reads or writes one format and nothing else."""
