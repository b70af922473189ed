import sys

from common_kpi.cli import main

sys.exit(main())
