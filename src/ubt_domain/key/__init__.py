"""The answer key: what it holds, how it is sealed, when it may be opened.

In: the correct options of every variant (:class:`AnswerKey`, the variants
file and key NTC sends, UNT-KEY-1, UNT-SCAN-2), N passwords and the caller's
randomness (salt, nonce) to seal it; to open it, the same N passwords and the
gate value of the programme: the stream's closed identification
(``StreamIdentification``, ҰБТ) or the recorded dispatch of the final file
(:class:`FinalFileSent`, МАБ/ОЖСБ), D-4.

Out: :class:`SealedKey` (ciphertext and the public header it is bound to),
the opened :class:`AnswerKey` as a polars frame for scoring, and the key
printout's copies with their recipients (UNT-KEY-6).

``cryptography`` is imported inside the functions that use it, so the pure
core imports light.
"""
