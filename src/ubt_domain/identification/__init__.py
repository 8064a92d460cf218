"""Identification: answer sheets matched to seated applicants.

In: answer-sheet readings and the seating. Out: identified, unfilled or deleted sheets,
the protocol tables, the commission's decisions, re-identification and closing
(UNT-ID-*, UNT-SCAN-*, D-8); school sheets of МАБ and ОЖСБ (D-12).
"""
