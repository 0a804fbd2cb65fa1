"""
The end of an issue: a section called “Connect with us” (“Follow us”, “Stay in
touch”…) holds the publication's social links, and the postal address and
“© holder year” below them make its footer. The mailer's own footer (unsubscribe,
preferences, “view in browser”, merge tags such as ``*|UNSUB|*``) is not content.
"""

import re

from issues.importer.reader.blocks import Block
from issues.importer.reader.document import MERGE_TAG
from issues.importer.structure import SocialLinkContent
from issues.importer.unwrap import is_mailer_link
from issues.models import SocialLink

SOCIAL_HEADING = re.compile(
    r"^(connect with|follow us|find us|stay in touch|social)", re.IGNORECASE
)

# The lines of a mailer's footer, which it adds again when an issue is exported.
_MAILER_FOOTER = re.compile(
    r"unsubscribe|(to )?stop receiving|(update|manage) (your )?preferences"
    r"|preference cent(re|er)|you are receiving this|view (this e-?mail )?in (your )?"
    r"browser|(our )?mailing address is|want to change how you receive",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"©\s*(?:copyright\s*)?(?P<holder>.+?)\s*(?P<year>\d{4})?\s*$")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")

# Social networks by the host of their link, then by the words of its label.
_NETWORK_HOSTS = (
    ("linkedin.com", SocialLink.Network.LINKEDIN),
    ("twitter.com", SocialLink.Network.X),
    ("x.com", SocialLink.Network.X),
    ("instagram.com", SocialLink.Network.INSTAGRAM),
    ("facebook.com", SocialLink.Network.FACEBOOK),
    ("youtube.com", SocialLink.Network.YOUTUBE),
    ("bsky.app", SocialLink.Network.BLUESKY),
    ("slack.com", SocialLink.Network.SLACK),
)
_NETWORK_LABELS = (
    ("slack", SocialLink.Network.SLACK),
    ("mastodon", SocialLink.Network.MASTODON),
    ("web", SocialLink.Network.WEBSITE),
    ("site", SocialLink.Network.WEBSITE),
)


def is_footer(block: Block) -> bool:
    """Whether ``block`` opens the footer: copyright, or the mailer's own lines."""
    return block.kind == "paragraph" and bool(
        "©" in block.text
        or any(is_mailer_link(url) for _, url in block.links)
        or MERGE_TAG.search(block.text)
        # A short line in the mailer's words, not a paragraph that starts like one.
        or (len(block.text) <= 200 and _MAILER_FOOTER.match(block.text))
    )


def is_address(block: Block) -> bool:
    return (
        block.kind == "paragraph"
        and not block.links
        and block.text.count(",") >= 2
        and bool(re.search(r"\d", block.text))
        and "©" not in block.text
    )


def read_footer(blocks: list[Block]) -> tuple[str, str]:
    """The copyright holder and the postal address."""
    holder = address = ""
    for block in blocks:
        if block.kind != "paragraph":
            continue
        copyright = None
        if "©" in block.text and not MERGE_TAG.search(block.text):
            copyright = _COPYRIGHT.search(block.text)
        if copyright and not holder:
            holder = copyright["holder"].strip()
        elif not address and is_address(block):
            address = _complete_address(block.text)
    return holder[:200], address


def read_social_links(blocks: list[Block]) -> tuple[SocialLinkContent, ...]:
    links = []
    seen = set()
    for label, url in _links_in(blocks):
        if url in seen or is_mailer_link(url) or not url.startswith("http"):
            continue
        seen.add(url)
        network = _network(url, label)
        if label == SocialLink.Network(network).label:
            # The network's own name, as exports show a link without a label.
            label = ""
        links.append(SocialLinkContent(network=network, url=url, label=label))
    return tuple(links)


def _links_in(blocks: list[Block]) -> list[tuple[str, str]]:
    """(label, target) of the text links, and of the icons with no label."""
    links = []
    for block in blocks:
        if block.kind == "paragraph":
            links += block.links
        elif block.kind == "image" and block.href:
            links.append(("", block.href))
    return links


def _complete_address(text: str) -> str:
    """Mailers cut long footer lines: finish a country broken off after “United”."""
    if text.endswith(" United") and _UK_POSTCODE.search(text):
        return text + " Kingdom"
    return text


def _network(url: str, label: str) -> str:
    host = re.sub(r"^www\.", "", (re.match(r"https?://([^/:?#]+)", url) or ["", ""])[1])
    for known, network in _NETWORK_HOSTS:
        if host == known or host.endswith("." + known):
            return network
    for word, network in _NETWORK_LABELS:
        if word in label.lower():
            return network
    return SocialLink.Network.OTHER
