"""Registration: where the printed sheet lies in a scanned image.

In: a grey page and its layout. Out: a :class:`~omrkit.registration.register.Registration`
(the homography from layout millimetres to image pixels, orientation, quality,
paper and ink levels, the printed serial). ``squares`` finds the printed
registration squares, ``search`` matches them to the layout, ``fit`` and
``homography`` fit the transform, ``result`` judges it and reports each mark,
``scale`` infers pixels per mm, ``codes`` reads the layout code, serial and
levels, ``diagnostics`` explains a refusal. A sheet whose squares cannot be found
or do not agree is a :class:`~omrkit.errors.RegistrationError`.
"""

from omrkit.registration.register import Registration, register

__all__ = ["Registration", "register"]
