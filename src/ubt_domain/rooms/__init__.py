"""Rooms and seating: the room fund, allocation, sealed seating, additional seating and variants.

In: the closed journal's applicants and a room fund. Out: allocations (balanced by
``balance``, D-15) and sealed seating plans, recorded in the testing point's
seating record (``sealed``) under the NTC password's verifier (UNT-ROOM-*,
UNT-SEAT-*, D-7, D-8, D-15, MAB-S-17, OZH-10).
"""
