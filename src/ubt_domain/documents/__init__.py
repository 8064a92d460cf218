"""Documents: an adapter outside the pure core, turning domain values into typst → PDF bytes.

The core never imports this package; ``import ubt_domain`` loads it lazily on first use
of a ``*_pdf`` function, so the pure domain stays light.
"""
