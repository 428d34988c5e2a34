"""Notices written out in English before they were written when shown, read back into what
happened, so a reporter reading Hindi sees them in Hindi too. A closed report's notice is its
status and its reply, both still on the report; a key change's names the options before and
after by letter, found again among the question's options. A notice that does not read back
(its option since removed, or words not written by this app) stays as it was written."""

import re

from django.db import migrations

LETTERS = "abcdef"  # questions.models.LETTERS, as daily.problems wrote them: (a), (b), ...
CLOSED = re.compile(r"^Your report on “.*” was marked (?P<status>fixed|rejected)\.", re.S)
KEY_CHANGED = re.compile(
    r"^An editor changed the answer to a question you reported \(“.*”\) "
    r"from (?:\((?P<previous>[a-f])\) “.*”|none) to (?:\((?P<current>[a-f])\) “.*”|none)\. "
    r"Answers to it were marked again and your score updated\.$",
    re.S,
)


def read_back(apps, schema_editor):
    ProblemReport = apps.get_model("daily", "ProblemReport")
    Choice = apps.get_model("questions", "Choice")
    for report in ProblemReport.objects.exclude(notice="").iterator():
        if (closed := CLOSED.match(report.notice)) and closed["status"] == report.status:
            report.notice_kind, report.notice = report.status, ""
        elif changed := KEY_CHANGED.match(report.notice):
            letters = (changed["previous"], changed["current"])
            options = {choice.position: choice for choice in Choice.objects.filter(question_id=report.question_id)}
            keys = [options.get(LETTERS.index(letter)) if letter else None for letter in letters]
            if any(letter and key is None for letter, key in zip(letters, keys)):
                continue  # an option it names is gone: the written notice is all there is
            report.notice_kind, report.notice = "key_changed", ""
            report.previous_key, report.current_key = keys
        else:
            continue
        report.save(update_fields=["notice_kind", "notice", "previous_key", "current_key"])


def write_out(apps, schema_editor):
    """Back to the English sentences daily.problems wrote before."""
    ProblemReport = apps.get_model("daily", "ProblemReport")
    for report in ProblemReport.objects.exclude(notice_kind="").select_related("question", "previous_key", "current_key"):
        stem = (report.question.stem.strip().splitlines() or [""])[0][:80]
        if report.notice_kind == "key_changed":
            report.notice = (
                f"An editor changed the answer to a question you reported (“{stem}”) from {_label(report.previous_key)} "
                f"to {_label(report.current_key)}. Answers to it were marked again and your score updated."
            )
        else:
            reply = f" The editor's reply: {report.reply}" if report.reply else ""
            report.notice = f"Your report on “{stem}” was marked {report.notice_kind}.{reply}"
        report.notice_kind = ""
        report.save(update_fields=["notice_kind", "notice"])


def _label(choice) -> str:
    return f"({LETTERS[choice.position]}) “{choice.text[:60]}”" if choice else "none"


class Migration(migrations.Migration):
    dependencies = [
        ("daily", "0004_notices_written_when_shown"),
    ]

    operations = [migrations.RunPython(read_back, write_out)]
