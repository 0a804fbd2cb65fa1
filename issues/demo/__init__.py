"""
Demo content: the November 2024 issue of a real newsletter, as structured content
(``content``), the file it was taken from (``newsletter-2024-11.md``) and the loader
behind ``manage.py load_demo``.
"""

from .loader import LoadResult, load_demo

__all__ = ["LoadResult", "load_demo"]
