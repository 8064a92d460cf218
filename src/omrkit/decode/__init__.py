"""Decoding: file bytes in, one grey ``uint8`` page out.

``headers`` sniffs the format and guards the declared size before anything is
decoded; ``images`` reads bytes, pages and content ids and decodes them;
``gray`` turns colour into grey so the layout's dropout colour vanishes;
``reduced`` decodes a finely scanned JPEG at a fraction of its size.
Every failure is a :class:`~omrkit.errors.DecodeError`.
"""

from omrkit.decode.images import content_id, decode_image, iter_pages, read_source_bytes

__all__ = ["content_id", "decode_image", "iter_pages", "read_source_bytes"]
