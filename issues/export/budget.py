"""
The size budget of the e-mail HTML. Gmail clips a message whose HTML is over about
102 KB, hiding the rest (the unsubscribe link with it) behind “View entire message”.
"""

import dataclasses

LIMIT = 102 * 1024
REST = "Layout, header and footer"


@dataclasses.dataclass(frozen=True)
class SizeReport:
    size: int
    limit: int
    # (label, bytes), largest first; they add up to ``size``.
    contributors: list[tuple[str, int]]

    @property
    def over(self) -> bool:
        return self.size > self.limit

    @property
    def percent(self) -> int:
        return round(100 * self.size / self.limit)

    def summary(self) -> str:
        state = "over the limit" if self.over else "within the limit"
        return (
            f"{kilobytes(self.size)} of HTML, {state} of {kilobytes(self.limit)} "
            f"({self.percent}%)."
        )

    def largest(self, count: int = 10) -> list[tuple[str, int]]:
        return self.contributors[:count]


def kilobytes(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def size_report(html: str, parts: list[tuple[str, int]] | None) -> SizeReport:
    size = len(html.encode())
    contributors = list(parts or [])
    contributors.append((REST, max(0, size - sum(part for _, part in contributors))))
    contributors.sort(key=lambda part: part[1], reverse=True)
    return SizeReport(size=size, limit=LIMIT, contributors=contributors)
