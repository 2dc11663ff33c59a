"""``python -m casekit`` runs the command line."""

from casekit.cli.commands import main

main()
