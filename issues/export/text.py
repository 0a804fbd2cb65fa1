"""
The plain-text version of an issue, from its content snapshot: readable on its own,
wrapped at 76 columns, with every link as a numbered reference listed at the end.
"""

import html
import re
import textwrap

from issues.export.html import mailer_links
from issues.export.utm import utm_parameters, with_utm

WIDTH = 76

_BLOCK = re.compile(r"<(p|li|h3|h4)\b[^>]*>(.*?)</\1>", re.S)
_LINK = re.compile(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")

# Mailchimp's merge tags for HTML have plain-text twins.
_TEXT_MERGE_TAGS = {"*|HTML:LIST_ADDRESS_HTML|*": "*|LIST:ADDRESS|*"}


class _References:
    """Links numbered in order of appearance; the same link keeps its number."""

    def __init__(self, utm: dict):
        self.utm = utm
        self.urls: list[str] = []

    def __call__(self, url: str) -> str:
        url = with_utm(url, self.utm)
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"


def render_text(snapshot: dict, profile) -> str:  # noqa: C901
    utm = utm_parameters(profile, snapshot)
    ref = _References(utm)
    publication = snapshot["publication"]
    issue = snapshot["issue"]
    mailer = mailer_links(snapshot, profile)
    out: list[str] = []

    def para(text: str) -> None:
        out.append(_wrap(text))

    web_version = mailer["web_version_url"]
    out.append(_wrap(f"View this e-mail in your browser: {web_version}"))
    out.append(_heading(publication["name"], "="))
    out.append(issue["title"])
    for block in _blocks(publication["intro"], ref) + _blocks(issue["intro"], ref):
        para(block)
    if publication["signup_url"]:
        para(
            f"Received this from a colleague? Sign up to receive {publication['name']}"
            f" {ref(publication['signup_url'])}."
        )

    for section in snapshot["sections"]:
        out.append(_heading(section["title"], "="))
        for member in section["team"]:
            line = member["name"]
            if member["organisation"]:
                line += f", {member['organisation']}"
            para(f"{line}, {member['role']}")
        for item in section["items"]:
            out.append(_heading(item["title"], "-"))
            if item["deadline"]:
                deadline = item["deadline"]
                para(f"{deadline['label']}: {deadline['date_display']}")
            event = item["event"]
            if event:
                facts = [f"Date: {event['when']}"]
                if event["location"]:
                    facts.append(f"Place: {event['location']}")
                if event["format"]:
                    facts.append(f"Format: {event['format']}")
                for deadline in event["deadlines"]:
                    facts.append(f"{deadline['label']}: {deadline['date_display']}")
                out.append("\n".join(_wrap(fact) for fact in facts))
            for block in _blocks(item["body"], ref):
                para(block)
            cta_url = item["cta"]["url"] if item["cta"] else ""
            if (
                event
                and event["registration_url"]
                and (event["registration_url"] != cta_url)
            ):
                para(f"Register for {event['title']} {ref(event['registration_url'])}")
            if item["cta"]:
                para(f"{item['cta']['label']} {ref(cta_url)}")

    out.append("-" * WIDTH)
    contact = snapshot["contact"]
    if contact:
        who = contact["name"]
        for extra in (contact["job_title"], contact["organisation"]):
            if extra:
                who += f", {extra}"
        where = contact["email"] or ref(contact["url"])
        para(f"To suggest something for a future issue, write to {who}: {where}")
    if snapshot["social_links"]:
        out.append(
            "Connect with us:\n"
            + "\n".join(
                f"- {link['label']} {ref(link['url'])}"
                for link in snapshot["social_links"]
            )
        )

    footer = []
    address = mailer["postal_address_text"].strip()
    if address:
        footer.append(_wrap(_TEXT_MERGE_TAGS.get(address, address)))
    if publication["copyright_holder"]:
        footer.append(f"© {publication['copyright_holder']} {issue['year']}")
    if mailer["footer_text"]:
        footer.append(_wrap(mailer["footer_text"]))
    if mailer["unsubscribe_url"]:
        footer.append(_wrap(f"Unsubscribe: {mailer['unsubscribe_url']}"))
    if mailer["preferences_url"]:
        footer.append(_wrap(f"Update your preferences: {mailer['preferences_url']}"))
    if mailer["unsubscribe_mailto"]:
        address = contact["email"]
        footer.append(f"To stop receiving this e-mail, write to {address}.")
    if footer:
        out.append("\n".join(footer))

    if ref.urls:
        out.append(
            "Links:\n"
            + "\n".join(
                f"[{number}] {url}" for number, url in enumerate(ref.urls, start=1)
            )
        )
    return "\n\n".join(out) + "\n"


def _heading(text: str, underline: str) -> str:
    text = _wrap(text)
    longest = max(len(line) for line in text.split("\n"))
    return f"{text}\n{underline * longest}"


def _wrap(text: str) -> str:
    # Long words (links) are never broken: a link cut in two no longer works.
    return "\n".join(
        "\n".join(
            textwrap.wrap(line, WIDTH, break_long_words=False, break_on_hyphens=False)
            or [""]
        )
        for line in text.split("\n")
    )


def _blocks(fragment: str, ref: _References) -> list[str]:
    """The paragraphs, list items and subheadings of rich text, as plain text."""
    blocks = []
    for match in _BLOCK.finditer(fragment or ""):
        tag, content = match.groups()
        if tag == "p" and "<li" in content:
            continue
        content = _LINK.sub(
            lambda link: _link_text(link, ref),
            content,
        )
        content = re.sub(r"<br\s*/?>", "\n", content)
        text = html.unescape(_TAG.sub("", content))
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        if not text:
            continue
        blocks.append(f"- {text}" if tag == "li" else text)
    return blocks


def _link_text(match: re.Match, ref: _References) -> str:
    url = html.unescape(match.group(1))
    label = match.group(2)
    if url.startswith("mailto:"):
        address = url.removeprefix("mailto:").partition("?")[0]
        if address in _TAG.sub("", label):
            return label
        return f"{label} ({address})"
    return f"{label} {ref(url)}"
