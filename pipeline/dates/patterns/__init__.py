"""Regexes for the dates stage, compiled once at import."""
