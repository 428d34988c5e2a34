"""Moodle's GIFT format, single-answer multiple choice only. Pure: text in, rows out, and back.

    $CATEGORY: foundational-defence-agreements
    // pariksha topic: Foundational defence agreements

    // pariksha: difficulty=easy; style=statements; passage=51
    Which agreement was signed in 2002? {
    =GSOMIA
    ~LEMOA
    ~COMCASA
    ####GSOMIA came first, in 2002 (paragraph 51).
    }

Questions are separated by blank lines. `=` marks the right answer and `~` a wrong one; `####`
starts the general feedback, which is our explanation. The characters ~ = # { } : and \\ are
escaped with a backslash, and a line break inside a text is written `\\n`, as Moodle does.
`$CATEGORY:` names the topic of the questions after it (by slug; a `// pariksha topic:` line
after it gives the topic's name, so an import into another server can create it; a bare Moodle
category is a topic's name). Comment lines start with `//`; ours carry difficulty, style,
passage and whether the passage gets the key wrong, which Moodle has no place for and ignores,
and in a Hindi file the key of the English stem each question translates (`key=…`).

Feedback on a single answer (`#…` after it) is not kept: the general feedback is the
explanation. Other GIFT types (true/false, short answer, matching, numerical, essay,
descriptions, weighted multiple answers) are reported as unsupported rather than guessed at.
"""

import re

from django.utils.translation import gettext, gettext_noop

from questions.formats.rows import QuestionRow, parse_yes_no
from questions.formats.rules import MAX_GIFT_ANSWERS, MAX_TEXT_CHARS, TOO_MANY_ANSWERS, unsupported_gift_type

_SPECIAL = "\\~=#{}:"
_FORMAT_MARKER = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_META = "// pariksha:"
# The name of the topic $CATEGORY names by its slug, so that an import can create the topic.
_TOPIC_NAME = "// pariksha topic:"
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_WEIGHT = re.compile(r"^%-?\d+(\.\d+)?%")
# ASCII digits: "²" is a digit to str.isdigit() but not to int().
_PASSAGE = re.compile(r"[0-9]{1,9}")


# --- writing -------------------------------------------------------------------------------


def escape(text: str) -> str:
    out = "".join(f"\\{c}" if c in _SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def write(rows: list[QuestionRow], *, keys: bool = False) -> str:
    """`keys`: each question's comment carries the key of its English stem, which a Hindi file
    is matched back to the bank by."""
    lines = [
        "// Question bank exported from Pariksha as Moodle GIFT. The `pariksha:` comments keep",
        "// difficulty, style and passage; Moodle ignores them.",
        "",
    ]
    category = None
    for row in rows:
        if row.topic and row.topic != category:
            category = row.topic
            lines.append(f"$CATEGORY: {category}")
            if row.topic_name:
                lines.append(f"{_TOPIC_NAME} {' '.join(row.topic_name.split())}")
            lines.append("")
        passage = row.passage if row.passage is not None else ""
        meta = f"{_META} difficulty={row.difficulty}; style={row.style}; passage={passage}"
        if row.passage_contradicts_key:
            meta += "; passage_contradicts_key=yes"
        if keys and row.key:
            meta += f"; key={row.key}"
        lines.append(meta)
        lines.append(f"{escape(row.stem)} {{")
        for position, text in enumerate(row.options):
            lines.append(("=" if position in row.correct else "~") + escape(text))
        if row.explanation:
            lines.append("####" + escape(row.explanation))
        lines += ["}", ""]
    return "\n".join(lines)


# --- reading -------------------------------------------------------------------------------


def read(text: str, limit: int | None = None) -> list[QuestionRow]:
    """The file's questions; past `limit` of them, reading stops at the next (the caller
    refuses the file: nothing after it is worth the work)."""
    rows: list[QuestionRow] = []
    category = category_name = ""
    meta: dict[str, str] = {}
    block: list[str] = []
    start = 0

    def finish():
        nonlocal block, meta
        if block:
            rows.append(_question("\n".join(block), start, category, category_name, meta))
        block, meta = [], {}

    for number, raw in enumerate(text.splitlines(), 1):
        if limit is not None and len(rows) > limit:
            return rows
        line = raw.strip()
        if line.startswith("//"):
            if line.startswith(_META):
                meta = _parse_meta(line[len(_META):])
            elif line.startswith(_TOPIC_NAME) and not block:
                category_name = line[len(_TOPIC_NAME):].strip()
            continue
        if not line:
            finish()
            continue
        if not block and line.startswith("$CATEGORY:"):
            category = line[len("$CATEGORY:"):].strip().rstrip("/").split("/")[-1].strip()
            category_name = ""
            continue
        if not block:
            start = number
        block.append(line)
    finish()
    return rows


def _parse_meta(text: str) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in text.split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs}


def _question(text: str, line: int, category: str, category_name: str, meta: dict[str, str]) -> QuestionRow:
    passage = meta.get("passage", "")
    contradicts, problem = parse_yes_no(meta.get("passage_contradicts_key", ""), "passage_contradicts_key")
    row = QuestionRow(
        stem="",
        options=[],
        correct=[],
        topic=category,
        topic_name=category_name,
        # A category we named (our own export) is a topic; a bare one is Moodle's course
        # structure, for which an editor's default topic comes first.
        topic_is_hint=bool(category) and not category_name,
        passage_contradicts_key=contradicts,
        problems=[problem] if problem else [],
        difficulty=meta.get("difficulty", ""),
        style=meta.get("style", ""),
        passage=int(passage) if _PASSAGE.fullmatch(passage) else None,
        line=line,
        key=meta.get("key", ""),
    )
    if text.startswith("::"):
        end = _find(text, "::", 2)
        text = text[end + 2:].strip() if end >= 0 else text
    opening = _find(text, "{")
    if opening < 0:
        row.stem = _unescape(text)
        row.problems.append(unsupported_gift_type(gettext_noop("description (no answers in braces)")))
        return row
    closing = _find(text, "}", opening)
    if closing < 0:
        row.stem = _unescape(text[:opening])
        row.problems.append(gettext("The answers are not closed: add the missing “}”."))
        return row
    before, after = text[:opening].strip(), text[closing + 1:].strip()
    # "Missing word" questions put the answers mid-sentence: the gap becomes a blank.
    row.stem = _plain(before + (f" _____ {after}" if after else ""))
    answers = text[opening + 1:closing].strip()
    feedback_at = _find(answers, "####")
    if feedback_at >= 0:
        row.explanation = _plain(answers[feedback_at + 4:])
        answers = answers[:feedback_at].strip()
    marked = _answers(answers)
    if len(marked) > MAX_GIFT_ANSWERS:
        row.problems.append(TOO_MANY_ANSWERS)
        return row
    kind = _unsupported_kind(answers, marked)
    if kind:
        row.problems.append(unsupported_gift_type(kind))
        return row
    for position, (mark, body) in enumerate(marked):
        if mark == "=":
            row.correct.append(position)
        feedback = _find(body, "#")
        row.options.append(_plain(body[:feedback] if feedback >= 0 else body))
    return row


def _unsupported_kind(answers: str, marked: list[tuple[str, str]]) -> str | None:
    """The type's name in English, marked for the refusal to say it in the reader's language."""
    if not answers:
        return gettext_noop("essay")
    if answers.startswith("#"):
        return gettext_noop("numerical")
    if _TRUE_FALSE.match(answers):
        return gettext_noop("true/false")
    if answers[0] not in "=~":
        return gettext_noop("unrecognised answers (each answer starts with = or ~)")
    # As Moodle reads it: a question with a ~ answer is multiple choice whatever its options
    # hold ("Leh -> Delhi" orders places); only = answers holding -> make a matching question.
    if all(mark == "=" for mark, _ in marked):
        if any(_find(body, "->") >= 0 for _, body in marked):
            return gettext_noop("matching")
        return gettext_noop("short answer")
    if any(_WEIGHT.match(body) for _, body in marked):
        return gettext_noop("multiple answers with weights")
    return None


# Text up to the next unescaped = or ~ (a backslash keeps the character after it), matched by
# the regular expression engine, not character by character in Python: a 5 MB block once took
# seconds.
_TEXT = r"(?:[^\\=~]+|\\.?)*+"
_BEFORE_ANSWERS = re.compile(_TEXT, re.DOTALL)
_ANSWER = re.compile(r"([=~])(" + _TEXT + ")", re.DOTALL)


def _answers(answers: str) -> list[tuple[str, str]]:
    """(mark, text) for each answer: split before every unescaped = or ~, no further than one
    answer past MAX_GIFT_ANSWERS (the question is refused for it)."""
    marked: list[tuple[str, str]] = []
    position = _BEFORE_ANSWERS.match(answers).end()
    while position < len(answers) and len(marked) <= MAX_GIFT_ANSWERS:
        answer = _ANSWER.match(answers, position)
        marked.append((answer.group(1), answer.group(2).strip()))
        position = answer.end()
    return marked


def _find(text: str, target: str, start: int = 0) -> int:
    """The index of `target` in `text` outside backslash escapes, or -1. A match is escaped
    when an odd run of backslashes comes right before it (each backslash escapes the next
    character, backslashes included)."""
    i = start
    while (found := text.find(target, i)) >= 0:
        run = found
        while run > start and text[run - 1] == "\\":
            run -= 1
        if (found - run) % 2 == 0:
            return found
        i = found + 1
    return -1


def _plain(text: str) -> str:
    if len(text) > 2 * MAX_TEXT_CHARS:
        # Too long however it unescapes (an escape is two characters for one), and refused for
        # it: unescaping megabytes first would only cost time.
        return text
    return _unescape(_FORMAT_MARKER.sub("", text.strip()).strip())


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text).strip()
