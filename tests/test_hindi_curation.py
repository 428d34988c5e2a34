"""Issue 19, point 4: editors find the questions that lack Hindi, and publishing a quiz that
holds some warns, naming them, without refusing."""

import pytest
from django.urls import reverse

from questions.models import Choice, Question
from quiz.models import Quiz
from tests.factories import QuestionFactory, QuizFactory, TopicFactory
from tests.test_giveaway_groups import quiz_change, quiz_form

pytestmark = pytest.mark.django_db


def translate(question: Question) -> Question:
    """Give the question Hindi for its stem, explanation and every option."""
    Question.objects.filter(pk=question.pk).update(stem_hi=f"प्रश्न {question.pk}", explanation_hi="व्याख्या")
    for choice in question.choices.all():
        Choice.objects.filter(pk=choice.pk).update(text_hi=f"विकल्प {choice.position}")
    return question


@pytest.fixture
def bank():
    """Five questions: one wholly in Hindi, and four each lacking one piece of it."""
    topic = TopicFactory(slug="isa")
    complete, no_stem, no_explanation, no_option, no_english_explanation = (
        translate(q) for q in QuestionFactory.create_batch(5, topic=topic)
    )
    Question.objects.filter(pk=no_stem.pk).update(stem_hi="")
    Question.objects.filter(pk=no_explanation.pk).update(explanation_hi=None)
    Choice.objects.filter(question=no_option, position=2).update(text_hi="")
    # An explanation missing in both languages is no translation gap.
    Question.objects.filter(pk=no_english_explanation.pk).update(explanation_en="", explanation_hi="")
    return {
        "complete": [complete, no_english_explanation],
        "missing": [no_stem, no_explanation, no_option],
        "topic": topic,
    }


def listed(editor_client, value) -> list[int]:
    response = editor_client.get(reverse("admin:questions_question_changelist"), {"hindi": value})
    assert response.status_code == 200
    return sorted(q.pk for q in response.context["cl"].result_list)


def test_the_question_list_filters_questions_missing_hindi_and_complete_ones(editor_client, bank):
    page = editor_client.get(reverse("admin:questions_question_changelist")).content.decode()

    assert "By Hindi" in page and "?hindi=missing" in page and "?hindi=complete" in page
    assert listed(editor_client, "missing") == sorted(q.pk for q in bank["missing"])
    assert listed(editor_client, "complete") == sorted(q.pk for q in bank["complete"])


def warnings(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_publishing_quizzes_from_the_list_warns_which_questions_lack_hindi(editor_client, bank):
    lacking = QuizFactory(title="ISA drill", is_published=False, with_questions=[*bank["complete"], *bank["missing"]])
    whole = QuizFactory(title="Whole", is_published=False, with_questions=bank["complete"])

    response = editor_client.post(
        reverse("admin:quiz_quiz_changelist"),
        {"action": "publish", "_selected_action": [lacking.pk, whole.pk]},
        follow=True,
    )

    ids = ", ".join(f"#{q.pk}" for q in bank["missing"])
    assert warnings(response) == [
        f"“ISA drill”: 3 of its 5 questions lack Hindi ({ids}): Hindi readers will see them in "
        "English. Filter the questions by “Hindi: missing” to translate them."
    ]
    assert "Published 2 quizzes." in [str(m) for m in response.context["messages"]]
    assert set(Quiz.objects.values_list("is_published", flat=True)) == {True}  # warned, not refused


def test_saving_a_published_quiz_warns_and_a_draft_does_not(editor_client, bank):
    draft, quiz = QuizFactory(slug="draft", is_published=False), QuizFactory(title="ISA drill", slug="isa-drill", is_published=False)
    chosen = [bank["complete"][0], bank["missing"][2]]
    unpublished = quiz_form(draft, chosen)
    del unpublished["is_published"]

    assert warnings(editor_client.post(quiz_change(draft), unpublished, follow=True)) == []

    published = editor_client.post(quiz_change(quiz), quiz_form(quiz, chosen), follow=True)

    quiz.refresh_from_db()
    assert quiz.is_published
    assert warnings(published) == [
        f"“ISA drill”: 1 of its 2 questions lacks Hindi (#{bank['missing'][2].pk}): Hindi readers "
        "will see it in English. Filter the questions by “Hindi: missing” to translate it."
    ]


def test_a_random_draw_is_warned_about_its_whole_pool(editor_client, bank):
    quiz = QuizFactory(title="Draw", selection=Quiz.Selection.RANDOM, draw_count=2, draw_topic=bank["topic"], is_published=False)

    response = editor_client.post(
        reverse("admin:quiz_quiz_changelist"), {"action": "publish", "_selected_action": [quiz.pk]}, follow=True
    )

    assert [w.split(" (")[0] for w in warnings(response)] == ["“Draw”: 3 of its 5 questions lack Hindi"]
