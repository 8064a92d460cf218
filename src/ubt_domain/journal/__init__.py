"""The registration journal: entries, reconciliation, the change journal and closing.

In: accepted applications and scan results. Out: a journal that closes once (UNT-REG-*).
"""
