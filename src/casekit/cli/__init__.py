"""The command line: the only place that prints or exits.

``casekit.cli:main`` is the ``casekit`` entry point.
"""

from casekit.cli.commands import main

__all__ = ["main"]
