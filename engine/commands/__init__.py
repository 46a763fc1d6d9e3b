"""Sub-commands of the ``regiotoets`` command line, one module each.

Each module defines a click command whose heavy imports happen inside the
function, so ``regiotoets --help`` does not pay for them.
"""
