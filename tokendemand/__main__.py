"""``python -m tokendemand ...``: the same command line as the ``tokendemand`` script."""

import sys

from tokendemand.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
