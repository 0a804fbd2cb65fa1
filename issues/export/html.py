"""
The e-mail HTML of an issue, from its content snapshot, for one mailer profile.

The MJML template (templates/email/issue.mjml) is rendered by Django's template engine,
turned into e-mail HTML by mrml (tables 600 px wide whose columns stack on phones,
Outlook's conditional markup, the hidden preheader) and its styles are inlined by
css-inline, which leaves only the media queries in a <style> in the head. The result
is folded so that no line is longer than e-mail allows.
"""

import copy
import dataclasses
import re
from collections.abc import Callable
from urllib.parse import quote

import css_inline
import mrml
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from issues.export.mailer_tags import EntityMarks, in_link, shown_content
from issues.export.utm import html_with_utm, utm_parameters, with_utm
from issues.models import default_preheader, shortened_preheader
from newsroom.core.richtext import drop_control_characters

TEMPLATE = "email/issue.mjml"

# RFC 5322: lines of at most 998 characters, without the line break.
MAX_LINE = 998

_MERGE_TAG = re.compile(r"^\*\|[A-Z0-9_:]+\|\*$")
_MARKER = re.compile(r"<!--export:(section|item):(\d+):(start|end)-->")

_render_options = mrml.RenderOptions(disable_comments=False, fonts={})
_inliner = css_inline.CSSInliner(
    keep_at_rules=True,
    load_remote_stylesheets=False,
    minify_css=True,
)


@dataclasses.dataclass
class RenderedHTML:
    html: str
    # (label, bytes) for every section and item, in the order of the e-mail.
    parts: list[tuple[str, int]]


def render_html(snapshot: dict, profile) -> RenderedHTML:
    # Mailers' tags typed into content are written as character references, which
    # only the inlined e-mail keeps (issues/export/mailer_tags.py).
    marks = EntityMarks()
    context = email_context(snapshot, profile, words=marks)
    # Plain-text fields may still hold control characters, which mrml refuses.
    source = drop_control_characters(get_template(TEMPLATE).render(context))
    output = mrml.to_html(source, render_options=_render_options)
    inlined = marks.written_out(_inliner.inline(output.content))
    parts = _measure(inlined, snapshot)
    return RenderedHTML(html=fold_lines(_MARKER.sub("", inlined)), parts=parts)


def email_context(snapshot: dict, profile, *, words: Callable[[str], str]) -> dict:
    """
    The template's context: the snapshot with the profile's links and UTM, and
    ``words`` applied to the content's words, which the profile's links never are.
    """
    utm = utm_parameters(profile, snapshot)
    shown = shown_content(snapshot, words)
    publication = dict(shown["publication"])
    publication["signup_url"] = with_utm(publication["signup_url"], utm)
    publication["url"] = with_utm(publication["url"], utm)
    publication["intro"] = html_with_utm(publication["intro"], utm)
    issue = dict(shown["issue"])
    issue["intro"] = html_with_utm(issue["intro"], utm)

    sections = []
    for section in shown["sections"]:
        section = dict(section)
        section["items"] = [_item(item, utm) for item in section["items"]]
        team = section["team"]
        half = (len(team) + 1) // 2
        section["team_columns"] = [team[:half], team[half:]] if team else []
        sections.append(section)

    contact = shown["contact"] and dict(shown["contact"])
    if contact:
        email = snapshot["contact"]["email"]
        contact["link"] = (
            in_link(f"mailto:{email}") if email else with_utm(contact["url"], utm)
        )
    return {
        "publication": publication,
        "issue": issue,
        "preheader": words(preheader(snapshot)),
        "sections": sections,
        "contact": contact,
        "social_links": [
            {**link, "url": with_utm(link["url"], utm)}
            for link in shown["social_links"]
        ],
        "mailer": mailer_links(snapshot, profile, words=words),
    }


def _item(item: dict, utm: dict) -> dict:
    item = copy.copy(item)
    item["body"] = html_with_utm(item["body"], utm)
    event = item["event"]
    cta_url = item["cta"]["url"] if item["cta"] else ""
    item["register_url"] = ""
    if event and event["registration_url"] and event["registration_url"] != cta_url:
        item["register_url"] = with_utm(event["registration_url"], utm)
    if item["cta"]:
        item["cta"] = {**item["cta"], "url": with_utm(cta_url, utm)}
    return item


def preheader(snapshot: dict) -> str:
    """The issue's preheader, or the titles of its first items when it has none."""
    text = snapshot["issue"]["preheader"]
    if not text:
        titles = [item["title"] for s in snapshot["sections"] for item in s["items"]]
        return default_preheader(titles, snapshot["publication"]["name"])
    return shortened_preheader(text)


def mailer_links(snapshot: dict, profile, *, words: Callable[[str], str]) -> dict:
    """
    The footer and web-version links of ``profile``, for both HTML and text, with
    ``words`` applied to what comes from the publication instead.
    """
    publication = snapshot["publication"]
    if profile.postal_address:
        if _MERGE_TAG.match(profile.postal_address):
            postal_address = mark_safe(profile.postal_address)
        else:
            postal_address = escape(profile.postal_address)
    else:
        postal_address = escape(words(publication["postal_address"].strip())).replace(
            "\n", "<br>"
        )
    unsubscribe_mailto = ""
    contact = snapshot["contact"]
    if (
        not profile.handles_unsubscribe
        and not profile.unsubscribe_url
        and contact
        and contact["email"]
    ):
        subject = quote(f"Unsubscribe from {publication['name']}")
        unsubscribe_mailto = in_link(f"mailto:{contact['email']}?subject={subject}")
    own_links = not profile.handles_unsubscribe
    return {
        "web_version_url": profile.web_version_url or in_link(snapshot["issue"]["url"]),
        "unsubscribe_url": profile.unsubscribe_url if own_links else "",
        "preferences_url": profile.preferences_url if own_links else "",
        "unsubscribe_mailto": unsubscribe_mailto,
        "postal_address": mark_safe(postal_address),
        "postal_address_text": profile.postal_address
        or words(publication["postal_address"]),
        "footer_text": profile.footer_text,
    }


def _measure(html: str, snapshot: dict) -> list[tuple[str, int]]:
    """The size in bytes of each section and item, between their markers."""
    titles = {}
    for number, section in enumerate(snapshot["sections"], start=1):
        titles["section", str(number)] = f"Section “{section['title']}”"
        for item in section["items"]:
            titles["item", str(item["id"])] = f"Item “{item['title']}”"
    starts = {}
    parts = []
    for match in _MARKER.finditer(html):
        key = match.group(1), match.group(2)
        if match.group(3) == "start":
            starts[key] = match.end()
        elif key in starts:
            size = len(html[starts[key] : match.start()].encode())
            parts.append((titles.get(key, key[0]), size, key[0]))
    # A section's own size is its heading and layout, without its items.
    items_in_section = 0
    result = []
    for label, size, kind in parts:
        if kind == "item":
            items_in_section += size
            result.append((label, size))
        else:
            result.append((label + " (heading)", size - items_in_section))
            items_in_section = 0
    return result


def fold_lines(html: str) -> str:
    """``html`` with no line over 998 characters, broken where whitespace is free."""
    if all(len(line) <= MAX_LINE for line in html.split("\n")):
        return html
    # Between block-level tags a line break changes nothing that is shown.
    html = re.sub(
        r"(</(?:table|tr|td|div|p|h[1-6]|ul|ol|li|tbody)>|<!\[endif\]-->)(?!\n)",
        "\\1\n",
        html,
    )
    lines = []
    for line in html.split("\n"):
        while len(line) > MAX_LINE:
            # Break at the last space; in text and between attributes a space and
            # a line break are the same to HTML.
            cut = line.rfind(" ", 0, MAX_LINE)
            if cut <= 0:
                break
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines)
