"""Importers: existing paper lists (an awesome-list README) -> taxonomy and entries.

Pure parsers only; reading files and writing the library are the CLI's and storage's.
"""
