"""Giveaway groups: questions whose stem or options answer one another never share an attempt.
A random draw takes at most one question of a group; a fixed quiz that holds two is flagged in
admin, in a message when it is saved and on its change page."""

import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from questions.models import GiveawayGroup, Question
from quiz import services
from quiz.models import Quiz
from tests.factories import GiveawayGroupFactory, QuestionFactory, QuizFactory, TopicFactory
from tests.helpers import start

pytestmark = pytest.mark.django_db
DRAWS = 400


@pytest.fixture
def bank():
    """Twelve questions of one topic; three of them in one group, two in another."""
    topic = TopicFactory(slug="isa")
    questions = QuestionFactory.create_batch(12, topic=topic)
    trio = GiveawayGroupFactory(name="What the ISA is", questions=questions[:3])
    pair = GiveawayGroupFactory(name="When BECA was signed", questions=questions[3:5])
    return topic, questions, [trio, pair]


def group_ids(group):
    return set(group.questions.values_list("pk", flat=True))


def test_many_random_draws_never_hold_two_questions_of_a_group(bank):
    topic, questions, groups = bank
    quiz = QuizFactory(selection="random", draw_count=8, draw_topic=topic, shuffle_questions=True)
    seen = Counter()
    for seed in range(DRAWS):
        drawn = services.draw_attempt(quiz, random.Random(seed)).question_ids
        assert len(drawn) == len(set(drawn)) == 8
        for group in groups:
            assert len(group_ids(group) & set(drawn)) <= 1, (seed, group.name, drawn)
        seen.update(drawn)
    # Which question of a group is drawn is left to chance: each of them comes up.
    assert set(seen) == {q.pk for q in questions}


def test_a_draw_of_every_question_takes_one_of_each_group_and_the_quiz_list_says_so(bank, learner, learner_client):
    topic, questions, groups = bank
    quiz = QuizFactory(selection="random", draw_count=None, draw_topic=topic, title="Every ISA question")
    for seed in range(50):
        drawn = set(services.draw_attempt(quiz, random.Random(seed)).question_ids)
        assert len(drawn) == 12 - 2 - 1
        assert all(len(group_ids(group) & drawn) == 1 for group in groups)

    attempt = start(learner, quiz)
    assert attempt.question_count == attempt.responses.count() == 9
    page = learner_client.get(reverse("quiz:detail", args=[quiz.slug])).content.decode()
    assert "<dt>Questions</dt><dd>9</dd>" in page


def test_a_group_whose_questions_are_not_all_in_the_draw_does_not_shrink_it(bank):
    topic, questions, groups = bank
    elsewhere = QuestionFactory(topic=TopicFactory(slug="beca"))
    groups[1].questions.add(elsewhere)  # a third question, outside this quiz's topic
    quiz = QuizFactory(selection="random", draw_count=None, draw_topic=topic)
    services.count_questions([quiz])
    assert quiz.question_total == 9


def test_the_article_bank_never_draws_two_questions_that_give_each_other_away(learner):
    call_command("loaddata", "article_source", "article_bank", "article_quizzes", verbosity=0)
    groups = [group_ids(g) for g in GiveawayGroup.objects.all()]
    assert groups == [{11, 50}]
    exam = Quiz.objects.get(slug="india-us-defence-exam-10")
    together = 0
    for seed in range(DRAWS):
        drawn = set(services.draw_attempt(exam, random.Random(seed)).question_ids)
        together += any(len(group & drawn) > 1 for group in groups)
    assert together == 0


# --- admin ------------------------------------------------------------------------------------


def quiz_change(quiz):
    return reverse("admin:quiz_quiz_change", args=[quiz.pk])


def quiz_form(quiz, questions):
    """The quiz's change form as admin sends it, holding `questions` in order."""
    data = {
        "title_en": quiz.title, "slug": quiz.slug, "description_en": "", "is_published": "on",
        "publish_at_0": "2026-11-25", "publish_at_1": "20:00:00", "selection": "fixed", "draw_count": "", "draw_topic": "", "draw_source": "",
        "seconds_per_question": "19", "marks_correct": "2", "marks_wrong": "0.66",
        "feedback": "each", "shuffle_questions": "on",
        "quiz_questions-TOTAL_FORMS": str(len(questions)), "quiz_questions-INITIAL_FORMS": "0",
        "quiz_questions-MIN_NUM_FORMS": "0", "quiz_questions-MAX_NUM_FORMS": "1000",
        "_continue": "Save and continue editing",
    }
    for i, question in enumerate(questions):
        data[f"quiz_questions-{i}-position"] = str(i)
        data[f"quiz_questions-{i}-question"] = str(question.pk)
    return data


def test_saving_a_fixed_quiz_with_two_of_a_group_warns_and_its_page_keeps_warning(editor_client, bank):
    topic, questions, (trio, pair) = bank
    quiz = QuizFactory(title="ISA drill", slug="isa-drill")
    chosen = [questions[0], questions[2], questions[3], questions[8]]

    saved = editor_client.post(quiz_change(quiz), quiz_form(quiz, chosen), follow=True)

    page = saved.content.decode()
    warning = (
        f"Questions #{questions[0].pk} and #{questions[2].pk} give each other away (giveaway group "
        "“What the ISA is”), and every attempt at this fixed quiz holds them all"
    )
    messages = [str(m) for m in saved.context["messages"]]
    assert any(m.startswith(warning) for m in messages), messages
    assert list(quiz.quiz_questions.values_list("question_id", flat=True)) == [q.pk for q in chosen]
    # On every later visit too, above the form, and only for the group it breaks.
    later = editor_client.get(quiz_change(quiz)).content.decode()
    assert 'class="messagelist giveaway-warnings"' in later and warning in later
    assert "When BECA was signed" not in later and "When BECA was signed" not in page


def test_a_fixed_quiz_without_two_of_a_group_shows_no_warning(editor_client, bank):
    topic, questions, groups = bank
    quiz = QuizFactory(title="Apart", slug="apart")

    saved = editor_client.post(quiz_change(quiz), quiz_form(quiz, [questions[0], questions[3], questions[6]]), follow=True)

    assert saved.status_code == 200
    assert not [m for m in saved.context["messages"] if "give each other away" in str(m)]
    assert "giveaway-warnings" not in saved.content.decode()


def test_a_random_quiz_is_never_warned_about_its_groups(editor_client, bank):
    topic, questions, groups = bank
    quiz = QuizFactory(selection="random", draw_count=5, draw_topic=topic, with_questions=questions[:3])
    assert "giveaway-warnings" not in editor_client.get(quiz_change(quiz)).content.decode()


def test_an_editor_groups_questions_in_the_group_admin_and_sees_them_on_the_question(editor_client):
    first, second = QuestionFactory.create_batch(2)

    created = editor_client.post(
        reverse("admin:questions_giveawaygroup_add"),
        {"name_en": "BECA's year", "questions": [first.pk, second.pk], "note": "pk 2's stem dates BECA."},
    )

    assert created.status_code == 302
    group = GiveawayGroup.objects.get()
    assert group_ids(group) == {first.pk, second.pk}
    page = editor_client.get(reverse("admin:questions_question_change", args=[first.pk])).content.decode()
    assert "Giveaway groups (questions that give this one away" in page and "BECA&#x27;s year" in page


def test_the_question_admin_adds_a_question_to_a_group(editor_client, bank):
    topic, questions, (trio, pair) = bank
    question = questions[9]
    url = reverse("admin:questions_question_change", args=[question.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "id"}
    data.update({name: getattr(value, "pk", value) for name, value in data.items()})
    choices = list(question.choices.order_by("position"))
    data.update({
        "choices-TOTAL_FORMS": "4", "choices-INITIAL_FORMS": "4", "choices-MIN_NUM_FORMS": "0", "choices-MAX_NUM_FORMS": "6",
        **{f"choices-{i}-id": c.pk for i, c in enumerate(choices)},
        **{f"choices-{i}-question": question.pk for i, c in enumerate(choices)},
        **{f"choices-{i}-position": c.position for i, c in enumerate(choices)},
        **{f"choices-{i}-text_en": c.text for i, c in enumerate(choices)},
        "choices-0-is_correct": "on",
        "GiveawayGroup_questions-TOTAL_FORMS": "1", "GiveawayGroup_questions-INITIAL_FORMS": "0",
        "GiveawayGroup_questions-MIN_NUM_FORMS": "0", "GiveawayGroup_questions-MAX_NUM_FORMS": "1000",
        "GiveawayGroup_questions-0-giveawaygroup": pair.pk,
        "GiveawayGroup_questions-0-question": question.pk,
    })

    saved = editor_client.post(url, data)

    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    assert question.pk in group_ids(pair)
    assert Question.objects.get(pk=question.pk).stem == question.stem
