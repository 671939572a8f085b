import sys

from netjournal.cli import main

sys.exit(main())
