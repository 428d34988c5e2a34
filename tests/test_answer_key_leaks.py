"""What a learner can learn of an answer key from the pages, without knowing the answers.

Issue 15, item 3: the radios once sent the options' ids, which follow the order the options
were imported in. A GIFT file written the Moodle way (right answer first) then gave the key to
anyone picking the lowest value, however the options were shuffled.
"""

import re

import pytest
import time_machine
from django.urls import reverse

from questions.formats.service import import_file
from questions.models import Question
from quiz.models import Attempt, QuizQuestion
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


@pytest.fixture
def shuffled_right_first_quiz():
    source = SourceFactory()
    PassageFactory(source=source, position=1)
    import_file(moodle_style_gift(8), "gift", source, default_topic=TopicFactory(), publish=True)
    quiz = QuizFactory(feedback="end", shuffle_options=True)
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(Question.objects.order_by("pk"))
    )
    return quiz


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
