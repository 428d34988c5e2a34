"""One typographic minus on pages, plain numbers in exports (lib/numbers.py)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from lib.numbers import plain_number, shown_number
from tests.helpers import answer_form, start, wrong_choice


def test_pages_show_a_typographic_minus_and_exports_a_plain_one():
    assert shown_number(Decimal("-0.66")) == "−0.66" and plain_number(Decimal("-0.66")) == "-0.66"
    assert shown_number(Decimal("-1.320"), Decimal("0.01")) == "−1.32"
    assert shown_number(Decimal("2.00")) == "2" and shown_number(0) == "0"


@pytest.mark.django_db
def test_every_learner_page_writes_negative_marks_with_one_minus_sign(learner_client, learner, quiz):
    attempt = start(learner, quiz)
    learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    for position in range(3):
        current = attempt.responses.select_related("question").get(position=position)
        learner_client.post(reverse("quiz:answer", args=[attempt.pk]), answer_form(current, wrong_choice(current)))
        learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    pages = {
        "feedback": learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 3])),
        "result": learner_client.get(reverse("quiz:result", args=[attempt.pk])),
        "attempts": learner_client.get(reverse("quiz:attempts")),
        "list": learner_client.get(reverse("quiz:list")),
    }
    for name, reply in pages.items():
        text = reply.content.decode()
        body = text[text.index("<main"):]
        assert "−1.98" in body or "−0.66" in body, name
        hyphens = re.findall(r'.{20}(?<![\w"=-])-\d.{10}', body)
        assert not hyphens, f"{name}: {hyphens}"
