"""Rooms and seating: the room fund, allocation, sealed seating, additional seating and variants.

In: the closed journal's applicants and a room fund. Out: allocations and sealed
seating plans (UNT-ROOM-*, UNT-SEAT-*, D-7, D-8, MAB-S-17, OZH-10).
"""
