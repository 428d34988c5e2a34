"""The rules every question meets however it enters the bank (admin form or import file), and
the exact words we use when one is broken. Pure functions: no database.

Admin forms and the import service both call these, so an editor and a teacher uploading a file
read the same sentence for the same mistake.
"""

import math

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop

LETTERS = "ABCDEF"
MIN_OPTIONS = 2
MAX_OPTIONS = 6
# UPSC statement and pair questions always offer (a) to (d).
UPSC_OPTIONS = 4
UPSC_STYLES = {
    "statements": _("A statement-based (UPSC) question"),
    "pairs": _("A pair-matching (UPSC) question"),
}
DIFFICULTIES = ("easy", "medium", "hard")
# Topic.name and Topic.slug.
TOPIC_LENGTH = 120
STYLES = ("statements", "pairs", "direct")

# Said in the reader's language (lazily: a module constant is made before any request); the
# command line reads English.
EMPTY_STEM = _("Empty stem: write the question text.")
MISSING_CORRECT = _("Missing correct answer: mark exactly one option as correct.")
NEEDS_EXPLANATION = _("Add an explanation before publishing: learners read it after they answer.")
SLIP_WITHOUT_PASSAGE = _(
    "The passage is marked as getting the key wrong, but no passage is cited: cite the passage, "
    "or leave the mark off."
)
MISSING_TOPIC = _("Missing topic: fill in the topic, or choose a default topic for the import.")
UTF16 = _("The file is UTF-16 text: save it as UTF-8 (in Excel: “CSV UTF-8”) and import it again.")
NUL_IN_FILE = _(
    "The file contains NUL bytes, so it is not UTF-8 text (perhaps UTF-16, or not a text file at "
    "all): save it as UTF-8 text and import it again."
)
NUL_IN_TEXT = _("Contains a NUL character, which cannot be stored: remove it.")
LONE_SURROGATE_IN_TEXT = _(
    "Contains half of a UTF-16 pair (an escape such as \\ud800 with no partner), which is not a "
    "character and cannot be stored: remove it or write the character itself."
)
ANSWERED_OPTIONS_KEPT = _(
    "Learners have answered this question, so its options cannot be removed: their past reviews "
    "show them. Edit the text instead, or archive the question."
)
_COUNT_WORDS = {
    2: gettext_noop("Two"),
    3: gettext_noop("Three"),
    4: gettext_noop("Four"),
    5: gettext_noop("Five"),
    6: gettext_noop("Six"),
}


def letter(position: int) -> str:
    return LETTERS[position] if 0 <= position < len(LETTERS) else str(position + 1)


def letters(positions: list[int]) -> str:
    """'A', 'A and C', 'A, B and D'."""
    names = [letter(p) for p in positions]
    if len(names) == 1:
        return names[0]
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def option_count_problem(count: int, style: str) -> str | None:
    if style in UPSC_STYLES and count != UPSC_OPTIONS:
        return gettext("%(kind)s needs exactly 4 options, (a) to (d); this one has %(count)d.") % {
            "kind": UPSC_STYLES[style], "count": count,
        }
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        return gettext("A question needs 2 to 6 options; this one has %(count)d.") % {"count": count}
    return None


def correct_answer_problem(correct: list[int], option_count: int) -> str | None:
    """Exactly one option is right, and it is one of the options given."""
    if not correct:
        return str(MISSING_CORRECT)
    if len(correct) > 1:
        many = gettext(_COUNT_WORDS[len(correct)]) if len(correct) in _COUNT_WORDS else str(len(correct))
        return gettext("%(many)s correct answers (%(letters)s): mark exactly one option as correct.") % {
            "many": many, "letters": letters(correct),
        }
    if correct[0] >= option_count:
        return gettext("Correct answer %(letter)s has no option text.") % {"letter": letter(correct[0])}
    return None


def explanation_problem(explanation: str, publishing: bool) -> str | None:
    return str(NEEDS_EXPLANATION) if publishing and not explanation.strip() else None


def not_utf8(byte: int) -> str:
    return gettext(
        "Not UTF-8 text (byte 0x%(byte)s cannot be read): save the file as UTF-8 and import it again."
    ) % {"byte": f"{byte:02X}"}


def at_line(line: int) -> str:
    """Where a problem is, when a line number says it: "line 4"."""
    return gettext("line %(line)d") % {"line": line}


def duplicate_in_file(first_line: int, where: str = "") -> str:
    return gettext("Duplicate stem: the same question as %(where)s.") % {"where": where or at_line(first_line)}


def duplicate_in_bank(source_slug: str, question_id: int) -> str:
    return gettext("Duplicate stem: source “%(source)s” already has this question (#%(id)d).") % {
        "source": source_slug, "id": question_id,
    }


def unknown_topic(value: str) -> str:
    return gettext(
        "Unknown topic “%(topic)s”: use the slug of an existing topic (creating topics is turned "
        "off for this import)."
    ) % {"topic": value}


def topic_not_named(value: str) -> str:
    return gettext("Topic “%(topic)s” has no letter or digit to make its slug from: name it in words.") % {
        "topic": value,
    }


def topic_too_long(value: str) -> str:
    return gettext(
        "Topic “%(topic)s…” is too long: a topic's name and slug have at most %(most)d characters."
    ) % {"topic": value[:40], "most": TOPIC_LENGTH}


def topic_name_taken(name: str, slug: str, other: str) -> str:
    return gettext(
        "Topic “%(slug)s” is named “%(name)s” in the file, as is topic “%(other)s”: give each its own name."
    ) % {"slug": slug, "name": name, "other": other}


def unknown_source(slug: str) -> str:
    # A source is not made from a file: no format carries the article's passages, which the
    # questions cite by number.
    return gettext(
        "No source with the slug “%(slug)s”. A source is an article stored paragraph by paragraph, "
        "and imported questions cite its paragraphs by number, which no import file carries: "
        "add the source first (admin › Sources, or loaddata), then import into it."
    ) % {"slug": slug}


def not_a_yes_or_no(column: str, value: str) -> str:
    return gettext("%(column)s must be yes or no (blank: no), not “%(value)s”.") % {"column": column, "value": value}


def unknown_difficulty(value: str) -> str:
    return gettext("Unknown difficulty “%(value)s”: use easy, medium or hard.") % {"value": value}


def unknown_style(value: str) -> str:
    return gettext("Unknown style “%(value)s”: use statements, pairs or direct.") % {"value": value}


def unknown_passage(position: int, source_slug: str, positions: list[int]) -> str:
    if not positions:
        return gettext("Unknown passage %(position)d: source “%(source)s” has no passages.") % {
            "position": position, "source": source_slug,
        }
    return gettext("Unknown passage %(position)d: source “%(source)s” has passages %(first)d to %(last)d.") % {
        "position": position, "source": source_slug, "first": min(positions), "last": max(positions),
    }


def unsupported_gift_type(kind: str) -> str:
    """`kind` is marked for translation where it is named (gettext_noop in gift.py)."""
    return gettext(
        "Unsupported GIFT question type: %(kind)s. Only single-answer multiple choice is imported."
    ) % {"kind": gettext(kind)}



# --- a Hindi GIFT or Aiken file --------------------------------------------------------------

TRANSLATION_WITHOUT_KEY = _(
    "No key: a Hindi file adds the Hindi of questions the bank has, found by the key each "
    "question carries (GIFT: “// pariksha: key=…”; Aiken: a “KEY:” line after the answer). "
    "Export the questions in Hindi (export_questions --language hi, or the admin's Hindi "
    "export) to get a file with keys, and translate that."
)
TABULAR_BOTH_LANGUAGES = _(
    "CSV, XLSX and JSON carry both languages in one file (the _hi columns): --language is for "
    "GIFT and Aiken, which hold one."
)


def translated_twice(first_line: int) -> str:
    return gettext("The same question as line %(line)d (same key): translate each question once.") % {"line": first_line}


def no_question_with_key(key: str, source_slug: str) -> str:
    return gettext(
        "No question of source “%(source)s” has the key %(key)s…: the key names the English "
        "stem the question was exported with. Import the English questions first, or export "
        "the Hindi file again if the English stem has changed since."
    ) % {"source": source_slug, "key": key[:12]}


def translation_option_count(count: int, question_id: int, expected: int) -> str:
    return gettext("%(count)d options, but question #%(id)d has %(expected)d: translate every option, in order.") % {
        "count": count, "id": question_id, "expected": expected,
    }


def translation_key_differs(correct: list[int], question_id: int, right: list[int]) -> str:
    given = letters(correct) if correct else gettext("none")
    return gettext(
        "Marks %(given)s as right, but question #%(id)d's key is %(key)s: a translation keeps the "
        "key (change the key in admin, then export again)."
    ) % {"given": given, "id": question_id, "key": letters(right) if right else gettext("not set")}


# --- the size of an import ----------------------------------------------------------------
# Whatever the format, a file is read whole into memory and checked row by row before anything
# is written: these bound what one upload can cost a server.

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_QUESTIONS = 5000
# GIFT and Aiken are read line by line in Python: a file of 5 MB of blank lines or one-line
# blocks once took seconds and grew a worker by hundreds of MB before the question count was
# checked. Lines are counted first (in C), and readers stop at the question past the limit. A
# bank of 5000 questions takes about 60,000 lines in GIFT or Aiken.
MAX_IMPORT_LINES = 200_000
# One question's answers in GIFT: "{=a~b~c…}" with thousands of marks would be thousands of
# options, each a list; reading stops counting them past this.
MAX_GIFT_ANSWERS = 100
# The longest text one question holds (stem or explanation; an option is far shorter): the
# article bank's longest is under 2,000 characters.
MAX_TEXT_CHARS = 20_000
# What an import's preview page shows: the first rows, and how many more there are. The whole
# file is still checked and, on confirm, imported.
PREVIEW_ROWS = 50
PREVIEW_PROBLEMS = 200
# An XLSX is a zip archive: a few kilobytes can unpack to gigabytes, and a sheet can claim a
# million rows and sixteen thousand columns. What it unpacks to and how far it reaches are
# capped too (our columns are the first dozen; no bank of 5000 questions runs past row 100000).
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 64
TOO_MANY_LINES = format_lazy(
    _(
        "The file has more than {lines} lines: a bank of {questions} questions needs far fewer. "
        "Remove the blank or stray lines, or split the file and import the parts one after another."
    ),
    lines=f"{MAX_IMPORT_LINES:,}",
    questions=MAX_IMPORT_QUESTIONS,
)
TOO_MANY_ANSWERS = format_lazy(
    _("More than {answers} answers in one question: a question has 2 to 6 options."), answers=MAX_GIFT_ANSWERS
)
TOO_MANY_QUESTIONS = format_lazy(
    _(
        "The file has more than {questions} questions: import at most {questions} at a time "
        "(split the file and import the parts one after another)."
    ),
    questions=MAX_IMPORT_QUESTIONS,
)
JSON_TOO_DEEP = _(
    "Not readable as JSON: it nests lists or objects too deeply. A question bank is one list of "
    "flat objects: [{\"stem\": …}, …]."
)
JSON_NUMBER_TOO_LONG = _("Not readable as JSON: a number in it is too long (more than 4300 digits).")
XLSX_UNPACKS_TOO_LARGE = format_lazy(
    _(
        "The workbook unpacks to more than {megabytes} MB: save only the sheet of questions, "
        "without images or other sheets, and import it again."
    ),
    megabytes=MAX_XLSX_UNPACKED_BYTES // (1024 * 1024),
)
SHEET_TOO_LONG = format_lazy(
    _(
        "The sheet has rows past row {rows}: keep the questions at the top of the sheet, delete "
        "the rows below them, and import it again."
    ),
    rows=f"{MAX_SHEET_ROWS:,}",
)


def text_too_long(what: str, length: int) -> str:
    return gettext(
        "The %(what)s is %(length)s characters long; at most %(most)s are imported: check that "
        "the question ends where it should (a missing blank line or ANSWER: line runs questions "
        "together)."
    ) % {"what": what, "length": f"{length:,}", "most": f"{MAX_TEXT_CHARS:,}"}


def json_value_not_text(key: str, value) -> str:
    if isinstance(value, list):
        message = gettext("“%(key)s” holds a list: each key of a question holds text, a number or nothing.")
    else:
        message = gettext("“%(key)s” holds an object: each key of a question holds text, a number or nothing.")
    return message % {"key": key[:40]}


def megabytes(size: int) -> str:
    """Rounded up, so a file just over the limit never reads as exactly the limit."""
    return f"{math.ceil(size * 10 / (1024 * 1024)) / 10:.1f} MB"


def file_too_large(size: int) -> str:
    return gettext(
        "The file is %(size)s; at most %(most)d MB can be imported at once: split it and import "
        "the parts one after another."
    ) % {"size": megabytes(size), "most": MAX_IMPORT_BYTES // (1024 * 1024)}
