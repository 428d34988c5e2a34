"""An article into passages, in one step: its text (plain, Markdown or HTML) split at paragraph
breaks, with section headings recognised; and saving it as a source's passages. Re-importing an
edited article keeps the passages questions cite (matched by text) and reports those that
changed."""

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from django.db import transaction
from django.db.models import Count, F

from questions.models import Passage, Source

# A plain-text line taken for a heading: short, and not ending as a sentence does.
HEADING_WORDS = 12
# Hindi ends its sentences with a danda (।), and verses with a double danda (॥).
SENTENCE_END = tuple('.?!:;,"”’)।॥')
# Where old passages wait while the new order is written (positions are unique per source).
PARKED = 1_000_000


@dataclass(frozen=True)
class Paragraph:
    heading: str
    text: str


def _clean(text: str) -> str:
    return " ".join(text.split())


def split_text(text: str) -> list[Paragraph]:
    """Plain text or Markdown: blocks between blank lines are paragraphs; a block that is a
    Markdown heading (`# ...`), or one short line that does not end as a sentence, is the
    heading of the paragraphs after it."""
    paragraphs, heading = [], ""
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        block = block.strip()
        if not block:
            continue
        marked = re.fullmatch(r"#{1,6}\s+(.+)", block)
        if marked:
            heading = _clean(marked.group(1))
        elif "\n" not in block and len(block.split()) <= HEADING_WORDS and not block.endswith(SENTENCE_END):
            heading = _clean(block)
        else:
            paragraphs.append(Paragraph(heading, _clean(block)))
    return paragraphs


class _Blocks(HTMLParser):
    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
    BLOCKS = HEADINGS | {"p", "li", "blockquote"}
    SKIPPED = {"script", "style", "nav", "header", "footer"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self.heading, self.tag, self.buffer, self.skipping = "", None, [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS and not self.skipping:
            self._flush()
            self.tag = tag

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self.tag and not self.skipping:
            self.buffer.append(data)

    def _flush(self):
        text = _clean("".join(self.buffer))
        if text and self.tag in self.HEADINGS:
            self.heading = text
        elif text:
            self.paragraphs.append(Paragraph(self.heading, text))
        self.tag, self.buffer = None, []


def split_html(html: str) -> list[Paragraph]:
    """HTML: each <p>, <li> or <blockquote> is a paragraph under the last <h1>-<h6>; scripts,
    styles and page chrome are left out, and the text is kept as text (never as markup)."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.paragraphs


def split_article(text: str, name: str = "") -> list[Paragraph]:
    """Split by the file's kind: .html/.htm as HTML, anything else as text or Markdown."""
    if name.lower().endswith((".html", ".htm")):
        return split_html(text)
    return split_text(text)


@dataclass
class Plan:
    """What saving `paragraphs` into a source would do, worked out before anything is written:
    the admin's preview shows it, and `save_article` carries it out."""

    # The article's passages in order: rows kept (matched by text; `pk` set) and new ones.
    passages: list[Passage]
    # Cited passages whose text is no longer in the article: kept (their questions cite them)
    # after the article's passages, for an editor to look at.
    changed: list[Passage] = field(default_factory=list)
    # Uncited passages whose text is no longer in the article: deleted.
    removed: list[Passage] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(p.pk is not None for p in self.passages)

    @property
    def added(self) -> int:
        return sum(p.pk is None for p in self.passages)


def plan_article(source: Source | None, paragraphs: list[Paragraph]) -> Plan:
    """Match `paragraphs` against the source's passages by text (None: a new source). Each
    passage carries `citations`, how many questions cite it."""
    existing: dict[str, list[Passage]] = {}
    if source is not None and source.pk:
        for passage in source.passages.annotate(citations=Count("questions")).order_by("position"):
            existing.setdefault(_clean(passage.text), []).append(passage)
    rows = []
    for position, paragraph in enumerate(paragraphs, start=1):
        same = existing.get(paragraph.text)
        passage = same.pop(0) if same else Passage(text=paragraph.text)
        if passage.pk is None:
            passage.citations = 0
        passage.position, passage.heading = position, paragraph.heading[:300]
        rows.append(passage)
    left = [p for group in existing.values() for p in group]
    return Plan(rows, changed=[p for p in left if p.citations], removed=[p for p in left if not p.citations])


@dataclass
class Saved:
    source: Source
    created: bool
    kept: int = 0
    added: int = 0
    removed: int = 0
    # Cited passages whose text is no longer in the article: kept (their questions cite them)
    # after the article's passages, for an editor to look at.
    changed: list[Passage] = field(default_factory=list)


def save_article(slug: str, title: str, paragraphs: list[Paragraph], published_on: date | None = None) -> Saved:
    """Create the source, or update it: its passages become `paragraphs`, in order. A passage
    whose text is unchanged keeps its row (and its citations); an uncited passage that is gone
    is deleted; a cited one that is gone is kept and reported (`plan_article` decides)."""
    if not paragraphs:
        raise ValueError("The article has no paragraphs.")
    with transaction.atomic():
        source, created = Source.objects.get_or_create(slug=slug, defaults={"title": title, "published_on": published_on})
        # Two editors re-importing one article at once would interleave their positions.
        source = Source.objects.select_for_update().get(pk=source.pk)
        source.title = title
        if published_on:
            source.published_on = published_on
        source.save()
        plan = plan_article(source, paragraphs)
        saved = Saved(source, created, plan.kept, plan.added, len(plan.removed), plan.changed)
        source.passages.update(position=F("position") + PARKED)
        Passage.objects.filter(pk__in=[p.pk for p in plan.removed]).delete()
        for offset, passage in enumerate(plan.changed, start=len(plan.passages) + 1):
            passage.position = offset
        for passage in [*plan.passages, *plan.changed]:
            passage.source = source
            passage.save()
    return saved
