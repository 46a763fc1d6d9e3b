"""regiotoets engine: load → validate → evaluate → explain → render.

Nothing in this package knows about a particular region: regions are folders
of rule data (see ``rules/``). The public entry points are re-exported here.
"""

__version__ = "0.1.0"
