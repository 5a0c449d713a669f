"""``python -m mint``: the ``mint`` command line."""

from ._cli import main

main()
