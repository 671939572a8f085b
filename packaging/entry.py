"""Entry point of the frozen app (PyInstaller runs this file)."""

import sys

from netjournal.cli import main

sys.exit(main())
