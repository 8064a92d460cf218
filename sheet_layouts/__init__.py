"""Bundled sheet layouts (JSON) and the script that designs them."""
