"""What a reader produces: a document made of sections, each with text and tables."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

Table = list[list[str]]


@dataclass
class Section:
    """One readable part: an email body, an attachment, a page range of a PDF."""

    name: str
    kind: str  # text | html | pdf | spreadsheet
    text: str
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    name: str
    kind: str  # email | pdf | spreadsheet | text | html | provider
    sections: list[Section] = field(default_factory=list)
    sender: str | None = None
    subject: str | None = None
    date: str | None = None
    payload: dict | None = None  # provider webhooks: the JSON as received
    source: str | None = None  # provider webhooks: the source name
    warnings: list[str] = field(default_factory=list)
    # A mail as it landed (not the message it forwards): its From and Subject, and the values of its
    # Authentication-Results headers, all of them (which to believe is ``notices.trust``'s to judge).
    origin: dict | None = None

    @property
    def text(self) -> str:
        head = "\n".join(
            x
            for x in (
                f"From: {self.sender}" if self.sender else "",
                f"Subject: {self.subject}" if self.subject else "",
            )
            if x
        )
        return "\n\n".join([head] + [s.text for s in self.sections]).strip()

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Document:
        sections = [Section(**s) for s in data.get("sections", [])]
        return cls(**{**data, "sections": sections})
