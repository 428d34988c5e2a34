"""`make run` loads the bundled article bank only into a database that lacks it: a restart
never undoes what editors changed in admin."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from questions.models import Question
from quiz.models import Quiz

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_article_bank", stdout=out)
    return out.getvalue()


def test_it_loads_the_bank_into_a_database_without_it():
    assert "Loaded the article bank" in load()
    assert Question.objects.filter(source__slug="india-usa-2plus2-defence-cooperation").count() == 50
    assert Quiz.objects.exists()


def test_a_second_start_keeps_what_editors_changed():
    load()
    question = Question.objects.order_by("pk").first()
    question.stem = "Edited in admin: which statement is correct?"
    question.save()
    choice = question.choices.order_by("position").first()
    choice.text = "An editor's better wording"
    choice.save()

    assert "already loaded" in load()

    question.refresh_from_db()
    choice.refresh_from_db()
    assert question.stem == "Edited in admin: which statement is correct?"
    assert choice.text == "An editor's better wording"
    assert Question.objects.count() == 50


def test_make_run_loads_the_bank_through_the_check_not_loaddata():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    run = re.search(r"^run: install\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "manage.py load_article_bank" in run and "loaddata" not in run
