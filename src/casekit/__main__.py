"""``python -m casekit`` runs the command line."""

from casekit.cli import main

main()
