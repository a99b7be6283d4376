"""``python -m tui_pos`` runs the ``tui-pos`` command."""

import sys

from tui_pos.cli import main

sys.exit(main())
