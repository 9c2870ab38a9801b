"""python -m rnn_lib.report: what ``make report`` runs (see :mod:`rnn_lib.report.build`)."""

import sys

from .build import main

sys.exit(main())
