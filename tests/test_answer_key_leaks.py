"""What a learner can learn of an answer key from the pages, without knowing the answers.

Issue 15, item 3: the radios once sent the options' ids, which follow the order the options
were imported in. A GIFT file written the Moodle way (right answer first) then gave the key to
anyone picking the lowest value, however the options were shuffled. The per-question page
sends each option's place in the learner's shown order; so does a paper's (issue 17's whole-
paper mode), mapped back on the server inside the save's one UPDATE.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from questions.formats.service import import_file
from questions.models import Choice, Question
from quiz.models import Attempt, QuizQuestion, Response
from tests.factories import PassageFactory, QuizFactory, SourceFactory, TopicFactory
from tests.helpers import T0

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
RADIO_VALUE = re.compile(r'name="choice" value="([^"]+)"')


def moodle_style_gift(count: int) -> bytes:
    """`count` questions, each with its right answer written first, as Moodle's own files do."""
    blocks = [
        f"Question {n} about the article? {{=Right {n} ~Wrong {n}a ~Wrong {n}b ~Wrong {n}c ####Because {n}.}}"
        for n in range(count)
    ]
    return "\n\n".join(blocks).encode()


def right_first_quiz(**rules):
    source = SourceFactory()
    PassageFactory(source=source, position=1)
    import_file(moodle_style_gift(8), "gift", source, default_topic=TopicFactory(), publish=True)
    quiz = QuizFactory(feedback="end", shuffle_options=True, **rules)
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(Question.objects.order_by("pk"))
    )
    return quiz


@pytest.fixture
def shuffled_right_first_quiz():
    return right_first_quiz()


@pytest.fixture
def shuffled_right_first_paper():
    return right_first_quiz(timing="paper", seconds_per_question=72)


def lowest_value(page: str) -> str:
    values = RADIO_VALUE.findall(page)
    assert len(values) == 4, page
    return min(values, key=int)


def test_picking_the_lowest_radio_value_scores_at_chance_on_right_first_imports(
    learner_client, learner, shuffled_right_first_quiz
):
    quiz = shuffled_right_first_quiz
    sittings = 50  # 400 answers: right a quarter of the time, 100 ± 8.7
    with time_machine.travel(T0, tick=False):
        for _ in range(sittings):
            play = learner_client.post(reverse("quiz:start", args=[quiz.slug]), follow=True)
            attempt = play.context["attempt"]
            page = play.content.decode()
            for position in range(8):
                data = {"position": position, "choice": lowest_value(page)}
                page = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), data, **HTMX).content.decode()
    right = sum(Attempt.objects.filter(user=learner).values_list("correct_count", flat=True))
    assert Attempt.objects.filter(user=learner, finished_at__isnull=False).count() == sittings
    # Six standard deviations either side of 100: a fair run falls outside about once in 10⁹.
    assert 48 <= right <= 152, f"{right} of 400 right by picking the lowest value"


def test_picking_the_lowest_radio_value_in_a_paper_scores_at_chance_on_right_first_imports(
    learner_client, learner, shuffled_right_first_paper
):
    quiz = shuffled_right_first_paper
    sittings = 50  # 400 answers, as above
    with time_machine.travel(T0, tick=False):
        for _ in range(sittings):
            page = learner_client.post(reverse("quiz:start", args=[quiz.slug]), follow=True)
            attempt = page.context["attempt"]
            for number in range(1, 9):
                url = reverse("quiz:paper_question", args=[attempt.pk, number])
                data = {"choice": lowest_value(page.content.decode()), "action": "save"}
                page = learner_client.post(url, data, follow=True)
            assert page.redirect_chain[-1][0] == reverse("quiz:paper_submit", args=[attempt.pk])
            learner_client.post(reverse("quiz:paper_submit", args=[attempt.pk]))
    assert Response.objects.filter(attempt__user=learner, choice__isnull=True).count() == 0
    right = sum(Attempt.objects.filter(user=learner).values_list("correct_count", flat=True))
    assert Attempt.objects.filter(user=learner, finished_at__isnull=False).count() == sittings
    assert 48 <= right <= 152, f"{right} of 400 right by picking the lowest value"


def test_a_papers_pages_hold_no_option_id_and_its_radios_follow_the_shown_order(
    learner_client, learner, shuffled_right_first_paper
):
    # Seven-digit ids, which no question number, count or clock on the page could be mistaken for.
    for n, pk in enumerate(Choice.objects.order_by("pk").values_list("pk", flat=True)):
        Choice.objects.filter(pk=pk).update(id=7_000_000 + n)
    ids = [str(pk) for pk in Choice.objects.values_list("pk", flat=True)]
    with time_machine.travel(T0, tick=False):
        start = learner_client.post(reverse("quiz:start", args=[shuffled_right_first_paper.slug]), follow=True)
        attempt = start.context["attempt"]
        first = Response.objects.get(attempt=attempt, position=0)
        saved = first.option_order[2]  # the option shown third
        url = reverse("quiz:paper_question", args=[attempt.pk, 1])
        assert learner_client.post(url, {"choice": "3", "action": "review"}).status_code == 302
        pages = [learner_client.get(url), learner_client.get(reverse("quiz:paper_submit", args=[attempt.pk]))]
        pages += [learner_client.get(reverse("quiz:paper_question", args=[attempt.pk, n])) for n in range(2, 9)]
    first.refresh_from_db()
    assert first.saved_choice_id == saved and first.marked_for_review
    for reply in pages:
        page = reply.content.decode()
        assert reply.status_code == 200
        assert not [pk for pk in ids if pk in page], "an option id is in the page"
    # Question 1 again: places 1 to 4 in the order shown, the saved one checked, texts in the
    # learner's shuffled order (not the stored one, where the right answer is first).
    page = pages[0].content.decode()
    assert RADIO_VALUE.findall(page) == ["1", "2", "3", "4"]
    assert 'value="3" checked' in page and page.count(" checked") == 1
    texts = dict(Choice.objects.filter(pk__in=first.option_order).values_list("pk", "text"))
    shown = [texts[pk] for pk in first.option_order]
    assert [page.index(f'<span class="option-text">{text}</span>') for text in shown] == sorted(
        page.index(f'<span class="option-text">{text}</span>') for text in shown
    )
