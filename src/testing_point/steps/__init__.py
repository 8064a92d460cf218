"""The procedure's steps, one module each: load state, call the pure domain, write one transaction.

Every step is idempotent: rerun after a crash, it finds what a completed run
wrote and does only what is missing, so an operator's answer to any failure
is to run the same command again.
"""
