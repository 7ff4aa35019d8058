"""``python -m tokendemand.cli``: the same as the ``tokendemand`` console script."""

import sys

from tokendemand.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
