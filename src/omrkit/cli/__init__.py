"""The ``omrkit`` command: render, synth, read, bench, demo.

``main`` parses arguments and imports each handler's engine lazily so
``omrkit --help`` stays instant; ``demo`` and ``bench`` are the two long commands.
"""
