"""Timings of the export, run with ``make bench`` (``python -m bench``)."""
