"""The demo newsletter: its November 2024 issue as readers received it, in Markdown."""

from pathlib import Path

NEWSLETTER = Path(__file__).with_name("newsletter-2024-11.md")
