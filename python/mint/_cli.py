"""The ``mint`` console script: the same command line as the Rust binary.

The extension holds the CLI's own modules (``src/cli.rs`` and what it
dispatches to), so ``pip install`` gives the very ``mint`` that ``cargo
install`` does; this only hands it ``sys.argv`` and exits with its status.
"""

import sys

from . import _mint


def main() -> None:
    """Run ``mint`` with this process's arguments and exit with its status."""
    sys.stdout.flush()
    sys.exit(_mint.run_cli(["mint", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
