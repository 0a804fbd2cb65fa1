"""
The second stage: the document flattened into blocks, in reading order. Layout
(tables, cells, ``<div>``s) goes; what is left is what a reader sees one after the
other: headings, paragraphs (bold ones, or opening with a bold label, told apart),
images, and lists. Each block knows the line of the source it comes from.
"""

from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from issues.importer.reader.document import Document
from issues.importer.reader.text import words
from newsroom.core.richtext import clean_html

_INLINE = frozenset(
    "a abbr b bdi bdo br cite code del em font i img ins kbd mark q s small span "
    "strong sub sup time u wbr".split()
)
_SKIPPED = frozenset("head script style template title noscript meta link".split())
_HEADINGS = {f"h{level}": level for level in range(1, 7)}


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "image" or "list"
    line: int
    level: int = 0
    text: str = ""
    html: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    # Wholly bold, or opening with a bold label (“<strong>Deadline:</strong> …”).
    bold: bool = False
    starts_bold: bool = False
    src: str = ""
    alt: str = ""
    href: str = ""
    entries: list[str] = field(default_factory=list)
    # A paragraph's lines, as its <br>s break it.
    lines: list[str] = field(default_factory=list)
    # The text of the bold label that opens it.
    bold_text: str = ""

    @property
    def link_only(self) -> bool:
        return (
            self.kind == "paragraph"
            and len(self.links) == 1
            and words(self.links[0][0]) == self.text
            and bool(self.text)
        )


def flatten(document: Document) -> list[Block]:
    """The blocks of ``document``, in reading order."""
    return _Flattener(document.line_of).walk(document.soup)


def rich_text(blocks: list[Block]) -> str:
    """``blocks`` as rich text, as the sanitiser stores it."""
    parts = []
    for block in blocks:
        if block.kind == "list":
            parts.append(block.html)
        elif block.kind == "heading":
            level = min(max(block.level, 3), 4)
            parts.append(f"<h{level}>{block.html}</h{level}>")
        else:
            parts.append(f"<p>{block.html}</p>")
    cleaned = [clean_html(part) for part in parts]
    return "\n".join(part for part in cleaned if part and part != "<p></p>")


class _Flattener:
    def __init__(self, line_of):
        self.line_of = line_of
        self.last_line = 0

    def walk(self, node: BeautifulSoup | Tag) -> list[Block]:
        found = []
        # Text and inline elements side by side make one paragraph.
        run = []
        for child in list(node.children):
            if isinstance(child, NavigableString) or child.name in _INLINE:
                run.append(child)
            elif child.name not in _SKIPPED:
                found += self._run(run, None)
                run = []
                found += self._blocks(child)
        found += self._run(run, None)
        return found

    def _blocks(self, tag: Tag) -> list[Block]:
        if tag.name in _HEADINGS:
            return self._heading(tag)
        if tag.name == "p":
            return self._run(list(tag.children), tag)
        if tag.name in ("ul", "ol"):
            return [self._list(tag)]
        if tag.name == "hr":
            return []
        return self.walk(tag)

    def _line(self, tag: Tag | None, text: str) -> int:
        if self.line_of is not None:
            line = self.line_of(text, max(self.last_line - 1, 0)) if text else 0
        else:
            line = getattr(tag, "sourceline", None) or 0
        line = line or self.last_line or 1
        self.last_line = line
        return line

    def _heading(self, tag: Tag) -> list[Block]:
        text = words(tag.get_text())
        if not text:
            return []
        return [
            Block(
                kind="heading",
                level=_HEADINGS[tag.name],
                text=text,
                html=tag.decode_contents().strip(),
                line=self._line(tag, text),
            )
        ]

    def _list(self, tag: Tag) -> Block:
        entries = [words(entry.get_text()) for entry in tag.find_all("li")]
        return Block(
            kind="list",
            entries=[entry for entry in entries if entry],
            html=str(tag),
            text=" ".join(entries),
            line=self._line(tag, entries[0] if entries else ""),
        )

    def _run(self, nodes: list, tag: Tag | None) -> list[Block]:
        """A paragraph, or the images of a run that holds nothing but images."""
        text = words("".join(_text_of(node) for node in nodes))
        images = [
            image
            for node in nodes
            if isinstance(node, Tag)
            for image in ([node] if node.name == "img" else node.find_all("img"))
        ]
        if not text:
            return [self._image(image) for image in images]
        # The words are the paragraph; a picture among them is decoration.
        for image in images:
            image.decompose()
        anchor = tag or next((n for n in nodes if isinstance(n, Tag)), None)
        return [self._paragraph(nodes, text, anchor)]

    def _image(self, image: Tag) -> Block:
        link = image.find_parent("a")
        return Block(
            kind="image",
            src=image.get("src", ""),
            alt=words(image.get("alt", "")),
            href=link.get("href", "") if link else "",
            line=self._line(image, image.get("src", "")[:40]),
        )

    def _paragraph(self, nodes: list, text: str, anchor: Tag | None) -> Block:
        shown = [n for n in nodes if isinstance(n, Tag) or words(str(n))]
        starts_bold = bool(
            shown and isinstance(shown[0], Tag) and shown[0].name in ("strong", "b")
        )
        return Block(
            kind="paragraph",
            text=text,
            html="".join(str(node) for node in nodes).strip(),
            links=_links_in(nodes),
            bold=starts_bold and len(shown) == 1,
            starts_bold=starts_bold,
            bold_text=words(shown[0].get_text(" ")) if starts_bold else "",
            lines=_lines_of(nodes),
            line=self._line(anchor, text),
        )


def _links_in(nodes: list) -> list[tuple[str, str]]:
    """(text, target) of every link among ``nodes``."""
    links = []
    for node in nodes:
        if isinstance(node, Tag):
            anchors = [node] if node.name == "a" else node.find_all("a")
            links += [
                (words(a.get_text()), a["href"]) for a in anchors if a.get("href")
            ]
    return links


def _lines_of(nodes: list) -> list[str]:
    lines = [[]]
    for node in nodes:
        if isinstance(node, Tag) and node.name == "br":
            lines.append([])
        else:
            lines[-1].append(_text_of(node))
    return [line for line in (words("".join(parts)) for parts in lines) if line]


def _text_of(node) -> str:
    if isinstance(node, NavigableString):
        return str(node)
    if node.name == "br":
        return " "
    return node.get_text(" ") if node.name != "img" else ""
