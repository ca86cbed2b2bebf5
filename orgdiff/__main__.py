"""``python -m orgdiff``: the ``orgdiff`` command, for when it is not on PATH."""

from .cli import main

if __name__ == "__main__":
    main()
