"""The learning loop (issue 16): confidence marks stored with answers, the mistakes notebook
scheduled by FSRS, revision sessions that never count, retaking an attempt's mistakes, adding
and removing cards, practising a topic, and the progress page's figures and query counts.
Time is frozen at the boundaries: a card due tomorrow is not due a second before."""

import importlib
import random
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fsrs import Rating

from learning import schedule, services
from learning.models import Card
from quiz import services as quiz_services
from quiz.models import Attempt, Quiz, Response
from tests.factories import QuestionFactory, QuizFactory, TopicFactory
from tests.helpers import T0, correct_choice, place_of, start, wrong_choice

pytestmark = pytest.mark.django_db
Outcome, Confidence = Response.Outcome, Response.Confidence
DAY = timedelta(days=1)


def take(attempt, plan, now=T0, seconds=3):
    """Answer the attempt's questions in order: `plan` is a list of ("right"|"wrong"|"timeout",
    confidence) per question, each answered `seconds` after it is shown."""
    for position, (how, confidence) in enumerate(plan):
        shown = now + timedelta(seconds=30 * position)
        quiz_services.open_question(attempt.pk, attempt.user, shown)
        response = Response.objects.select_related("question").get(attempt=attempt, position=position)
        if how == "timeout":
            submission = quiz_services.Submission(position, "expire", None, confidence)
            quiz_services.answer(attempt.pk, attempt.user, submission, shown + timedelta(seconds=19))
            continue
        choice = correct_choice(response) if how == "right" else wrong_choice(response)
        submission = quiz_services.Submission(position, "answer", place_of(response, choice.pk), confidence)
        quiz_services.answer(attempt.pk, attempt.user, submission, shown + timedelta(seconds=seconds))
    attempt.refresh_from_db()
    return attempt


def finished_attempt(learner, quiz, plan, now=T0, seconds=3):
    return take(start(learner, quiz, now), plan, now, seconds)


# --- the rating of an answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome, confidence, rating",
    [
        (Outcome.WRONG, Confidence.SURE, Rating.Again),
        (Outcome.WRONG, "", Rating.Again),
        (Outcome.TIMED_OUT, "", Rating.Again),
        (Outcome.SKIPPED, "", Rating.Again),
        (Outcome.CORRECT, Confidence.GUESS, Rating.Hard),
        (Outcome.CORRECT, Confidence.FIFTY, Rating.Good),
        (Outcome.CORRECT, "", Rating.Good),
        (Outcome.CORRECT, Confidence.SURE, Rating.Easy),
    ],
)
def test_an_answer_is_rated_by_its_outcome_and_how_sure_the_learner_was(outcome, confidence, rating):
    assert schedule.rating_for(outcome, confidence) == rating


def test_fsrs_brings_a_mistake_back_the_next_day_and_a_sure_right_answer_days_later():
    again = schedule.review(schedule.new_memory(T0), Rating.Again, T0)
    assert again.due == T0 + DAY
    easy = schedule.review(again, Rating.Easy, T0 + DAY)
    hard = schedule.review(again, Rating.Hard, T0 + DAY)
    assert easy.due > hard.due > T0 + DAY
    assert (easy.due - (T0 + DAY)).days >= 3


# --- confidence ---------------------------------------------------------------------------------


def test_a_confidence_mark_is_stored_with_the_answer_and_shown_in_the_review(learner, learner_client, quiz):
    attempt = finished_attempt(learner, quiz, [("right", "sure"), ("wrong", "guess"), ("right", "")])
    marks = list(attempt.responses.order_by("position").values_list("confidence", flat=True))
    assert marks == ["sure", "guess", ""]
    page = learner_client.get(reverse("quiz:result", args=[attempt.pk]) + "?show=all").content.decode()
    assert 'data-confidence="sure"' in page and "You said: Sure" in page
    assert "You said: Guess" in page


def test_a_time_out_keeps_no_confidence_mark_and_a_quiz_may_not_ask(learner, questions):
    attempt = finished_attempt(learner, QuizFactory(with_questions=questions), [("timeout", "sure"), ("right", "sure"), ("right", "")])
    assert attempt.responses.get(position=0).confidence == ""
    quiet = QuizFactory(with_questions=questions, ask_confidence=False)
    attempt = finished_attempt(learner, quiet, [("right", "sure"), ("right", "guess"), ("right", "")])
    assert set(attempt.responses.values_list("confidence", flat=True)) == {""}


def test_the_question_offers_sure_50_50_and_guess_only_where_the_quiz_asks(learner, learner_client, questions):
    asking = start(learner, QuizFactory(with_questions=questions))
    page = learner_client.get(reverse("quiz:play", args=[asking.pk])).content.decode()
    assert 'name="confidence" value="sure"' in page and "50-50" in page and 'data-confidence-key="G"' in page
    silent = start(learner, QuizFactory(with_questions=questions, ask_confidence=False))
    page = learner_client.get(reverse("quiz:play", args=[silent.pk])).content.decode()
    assert 'name="confidence"' not in page


def test_an_unknown_confidence_mark_is_refused_with_a_400_and_nothing_written(learner, learner_client, quiz):
    attempt = start(learner, quiz)
    learner_client.get(reverse("quiz:play", args=[attempt.pk]))
    response = Response.objects.select_related("question").get(attempt=attempt, position=0)
    data = {"position": 0, "action": "answer", "choice": place_of(response, correct_choice(response).pk), "confidence": "certain"}
    reply = learner_client.post(reverse("quiz:answer", args=[attempt.pk]), data)
    assert reply.status_code == 400
    assert "Sure, 50-50 or Guess" in reply.content.decode()
    response.refresh_from_db()
    assert response.outcome == Outcome.OPEN and response.confidence == ""


# --- the notebook -------------------------------------------------------------------------------


def test_wrong_and_timed_out_answers_fill_the_notebook_due_the_next_day(learner, quiz, questions):
    attempt = finished_attempt(learner, quiz, [("wrong", "sure"), ("timeout", ""), ("right", "guess")])
    finished = attempt.finished_at
    assert services.due_count(learner, finished) == 0
    cards = {card.question_id: card for card in Card.objects.filter(user=learner)}
    assert set(cards) == {questions[0].pk, questions[1].pk}
    answered_at = attempt.responses.get(position=0).answered_at
    assert cards[questions[0].pk].due == answered_at + DAY
    # Not a second early, and due from then on.
    assert services.due_count(learner, answered_at + DAY - timedelta(seconds=1)) == 0
    assert services.due_count(learner, answered_at + DAY) == 1
    assert services.due_count(learner, finished + DAY) == 2


def test_each_finished_attempt_is_read_into_the_notebook_once(learner, quiz):
    finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("right", "")])
    services.sync_deck(learner)
    services.sync_deck(learner)
    card = Card.objects.get(user=learner)
    assert card.reviews == 1


def test_revising_a_due_card_right_and_sure_moves_it_days_ahead(learner, quiz, questions):
    finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("right", "")])
    tomorrow = T0 + 2 * DAY
    revision = Attempt.objects.get(pk=services.start_revision(learner, tomorrow))
    assert revision.is_revision and revision.question_count == 1
    take(revision, [("right", "sure")], now=tomorrow)
    assert services.due_count(learner, tomorrow + DAY) == 0
    card = Card.objects.get(user=learner)
    assert card.reviews == 2 and card.due >= tomorrow + 3 * DAY


def test_revising_wrong_brings_the_card_back_the_next_day(learner, quiz):
    finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("right", "")])
    later = T0 + 2 * DAY
    revision = Attempt.objects.get(pk=services.start_revision(learner, later))
    take(revision, [("wrong", "sure")], now=later)
    assert services.due_count(learner, later + DAY + timedelta(minutes=1)) == 1


def test_nothing_due_is_a_message_not_an_attempt(learner, learner_client):
    reply = learner_client.post(reverse("learning:revise"), follow=True)
    assert "Nothing is due for revision now" in reply.content.decode()
    assert not Attempt.objects.filter(user=learner).exists()


def test_revision_never_counts_in_scores_reports_or_item_statistics(learner, quiz, questions):
    original = finished_attempt(learner, quiz, [("wrong", ""), ("wrong", ""), ("right", "")])
    counts_before = sorted(Response.objects.filter(attempt__quiz=quiz).values_list("question_id", "outcome"))
    later = T0 + 2 * DAY
    revision = Attempt.objects.get(pk=services.start_revision(learner, later))
    take(revision, [("right", "sure"), ("right", "sure")], now=later)
    original.refresh_from_db()
    assert original.score == Decimal("2") - 2 * Decimal("0.66")
    # The quiz's own responses (its report and item analysis read these) are untouched, and
    # the revision sits on a hidden quiz no class can be assigned.
    assert sorted(Response.objects.filter(attempt__quiz=quiz).values_list("question_id", "outcome")) == counts_before
    assert revision.quiz != quiz and not revision.quiz.is_published
    quiz_services.attach_learner_history([quiz], learner)
    assert quiz.best_score == original.score
    # Progress counts quizzes only.
    progress = services.progress(learner, later + DAY)
    assert progress.answered == 3


def test_retake_only_the_questions_i_got_wrong(learner, learner_client, quiz, questions):
    attempt = finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("timeout", "")])
    page = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    assert "Retake only the questions I got wrong" in page
    reply = learner_client.post(reverse("learning:retake", args=[attempt.pk]))
    revision = Attempt.objects.get(user=learner, is_revision=True)
    assert reply.status_code == 302 and reply["Location"] == reverse("quiz:play", args=[revision.pk])
    assert set(revision.responses.values_list("question_id", flat=True)) == {questions[0].pk, questions[2].pk}


def test_retaking_an_attempt_without_mistakes_says_so(learner, learner_client, quiz):
    attempt = finished_attempt(learner, quiz, [("right", ""), ("right", ""), ("right", "")])
    page = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    assert "Retake only the questions I got wrong" not in page
    reply = learner_client.post(reverse("learning:retake", args=[attempt.pk]), follow=True)
    assert "nothing to retake" in reply.content.decode()
    assert not Attempt.objects.filter(is_revision=True).exists()


def test_another_learners_attempt_cannot_be_retaken(learner, other_learner, client, quiz):
    attempt = finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("right", "")])
    client.force_login(other_learner)
    assert client.post(reverse("learning:retake", args=[attempt.pk])).status_code == 404
    assert not Attempt.objects.filter(user=other_learner).exists()


def test_revise_this_later_and_remove_from_any_review(learner, learner_client, quiz, questions):
    attempt = finished_attempt(learner, quiz, [("right", ""), ("right", ""), ("right", "")])
    result = reverse("quiz:result", args=[attempt.pk])
    page = learner_client.get(result).content.decode()
    assert "Revise this later" in page
    reply = learner_client.post(reverse("learning:add", args=[questions[1].pk]), {"next": result})
    assert reply.status_code == 302 and reply["Location"] == result
    card = Card.objects.get(user=learner)
    assert card.question_id == questions[1].pk and card.due <= card.added_at
    assert "Remove from my notebook" in learner_client.get(result).content.decode()
    reply = learner_client.post(reverse("learning:remove", args=[questions[1].pk]), {"next": "https://evil.example/"})
    assert reply["Location"] == reverse("learning:notebook")
    assert not Card.objects.filter(user=learner).exists()


def test_a_question_never_answered_cannot_go_in_the_notebook(learner_client, learner):
    unseen = QuestionFactory()
    assert learner_client.post(reverse("learning:add", args=[unseen.pk])).status_code == 404
    assert learner_client.post(reverse("learning:remove", args=[unseen.pk])).status_code == 404
    assert not Card.objects.exists()


def test_the_quiz_list_shows_revise_n_due(learner, learner_client, quiz):
    finished_attempt(learner, quiz, [("wrong", ""), ("wrong", ""), ("right", "")])
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        page = learner_client.get(reverse("quiz:list")).content.decode()
    assert "Revise: 2 due" in page


# --- practice and progress ----------------------------------------------------------------------


def test_practise_this_topic_draws_10_of_the_topics_published_questions(learner, learner_client):
    topic = TopicFactory()
    QuestionFactory.create_batch(12, topic=topic)
    QuestionFactory.create_batch(3)  # other topics
    reply = learner_client.post(reverse("learning:practise", args=[topic.pk]))
    attempt = Attempt.objects.get(user=learner)
    assert reply["Location"] == reverse("quiz:play", args=[attempt.pk])
    assert attempt.question_count == 10 and not attempt.is_revision
    assert set(attempt.responses.values_list("question__topic", flat=True)) == {topic.pk}
    assert learner_client.post(reverse("learning:practise", args=[999999])).status_code == 404


def attempts_titles(client) -> list[str]:
    page = client.get(reverse("quiz:attempts")).content.decode()
    return re.findall(r'<span class="attempt-quiz">(.*?)</span>', page)


def test_a_practice_and_a_revision_started_in_english_are_titled_in_hindi_for_a_hindi_reader(
    learner, learner_client, quiz
):
    polity = TopicFactory(name_en="Polity", name_hi="राजव्यवस्था")
    QuestionFactory.create_batch(2, topic=polity)
    learner_client.post(reverse("learning:practise", args=[polity.pk]))
    finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("right", "")])
    revision = Attempt.objects.get(pk=services.start_revision(learner, T0 + 2 * DAY))
    take(revision, [("right", "sure")], now=T0 + 2 * DAY)

    learner_client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    assert set(attempts_titles(learner_client)) == {"अभ्यास: राजव्यवस्था", "दोहराव", quiz.title}
    result = learner_client.get(reverse("quiz:result", args=[revision.pk])).content.decode()
    assert "<p class=\"lead\">दोहराव ·" in result
    assert revision.quiz.description_hi == "आपकी गलतियों की पुस्तिका के प्रश्न। दोहराव कभी किसी अंक में नहीं गिना जाता।"
    learner_client.post(reverse("switch_language"), {"language": "en", "next": "/"})
    assert set(attempts_titles(learner_client)) == {"Practise: Polity", "Revision", quiz.title}


def test_the_data_migration_titles_the_existing_sessions_in_both_languages(db):
    polity, economy = TopicFactory(name_en="Polity", name_hi="राजव्यवस्था"), TopicFactory(name_en="Economy", name_hi="")
    # As learning.services made them before: in whichever language the page was read in.
    QuizFactory(slug="revision", title_en=None, title_hi="Revision", description_hi="Questions from your mistakes notebook.")
    QuizFactory(slug=f"practise-topic-{polity.pk}", draw_topic=polity, title_en="Practise: Polity", title_hi=None)
    QuizFactory(slug=f"practise-topic-{economy.pk}", draw_topic=economy, title_en="Practise: Economy", title_hi=None)
    QuizFactory(slug="weekly", title_en="Weekly", title_hi=None)

    importlib.import_module("learning.migrations.0004_session_titles_in_both_languages").write_both(django_apps, None)

    titles = dict(Quiz.objects.values_list("slug", "title_hi"))
    assert titles == {
        "revision": "दोहराव",
        f"practise-topic-{polity.pk}": "अभ्यास: राजव्यवस्था",
        f"practise-topic-{economy.pk}": "अभ्यास: Economy",
        "weekly": None,
    }
    revision = Quiz.objects.get(slug="revision")
    assert (revision.title_en, revision.description_en) == ("Revision", "Questions from your mistakes notebook. Revision never counts in a score.")


def test_the_progress_page_shows_topics_weakest_first_guessing_and_time_pressure(learner, learner_client):
    strong, weak = TopicFactory(name="Polity"), TopicFactory(name="Economy")
    questions = [QuestionFactory(topic=strong), QuestionFactory(topic=strong), QuestionFactory(topic=weak), QuestionFactory(topic=weak)]
    quiz = QuizFactory(with_questions=questions)
    # Polity: both right, one sure, one guessed. Economy: one wrong guess, one timed out.
    finished_attempt(learner, quiz, [("right", "sure"), ("right", "guess"), ("wrong", "guess"), ("timeout", "")], seconds=15)
    with time_machine.travel(T0 + DAY, tick=False):
        page = learner_client.get(reverse("learning:progress")).content.decode()
    assert page.index('data-topic="Economy"') < page.index('data-topic="Polity"')
    assert "Practise this topic" in page
    # Guesses: one right (+2), one wrong (−0.66): net +1.34, so they paid.
    assert 'data-guessing-paid="yes"' in page
    assert "1.34" in page
    # Answers shown at 0 s and answered at 15 s of 19 came in the last 5 seconds.
    assert "3 answers came in the last 5 seconds of the question; 1 question timed out." in page
    assert "<svg" in page and "The same as a table" in page
    assert "Mistakes notebook" in page


def test_the_progress_page_names_topics_in_the_readers_language(learner, learner_client):
    """Read through the totals' grouped query, where no modeltranslation descriptor runs: the
    topics came out in English on a Hindi page."""
    polity = TopicFactory(name_en="Polity", name_hi="राजव्यवस्था")
    economy = TopicFactory(name_en="Economy", name_hi="")
    quiz = QuizFactory(with_questions=[QuestionFactory(topic=polity), QuestionFactory(topic=economy)])
    finished_attempt(learner, quiz, [("right", "sure"), ("wrong", "guess")])
    learner_client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    page = learner_client.get(reverse("learning:progress")).content.decode()
    assert 'data-topic="राजव्यवस्था"' in page and 'data-topic="Polity"' not in page
    assert 'data-topic="Economy"' in page  # no Hindi yet: English, as everywhere else
    learner_client.post(reverse("switch_language"), {"language": "en", "next": "/"})
    assert 'data-topic="Polity"' in learner_client.get(reverse("learning:progress")).content.decode()


def test_guesses_that_lost_marks_did_not_pay(learner, learner_client, quiz):
    finished_attempt(learner, quiz, [("wrong", "guess"), ("wrong", "guess"), ("right", "sure")])
    page = learner_client.get(reverse("learning:progress")).content.decode()
    assert 'data-guessing-paid="no"' in page


def progress_queries(client) -> int:
    client.get(reverse("learning:progress"))  # the attempts read into the notebook first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("learning:progress")).status_code == 200
    return [q["sql"] for q in captured if "django_session" not in q["sql"] and 'FROM "auth_user"' not in q["sql"]]


def test_the_progress_page_runs_as_many_queries_after_2_attempts_as_after_12(learner, learner_client, quiz):
    finished_attempt(learner, quiz, [("wrong", "guess"), ("right", ""), ("timeout", "")])
    finished_attempt(learner, QuizFactory(with_questions=3), [("right", "sure")] * 3)
    few = progress_queries(learner_client)
    for n in range(10):
        finished_attempt(learner, QuizFactory(with_questions=3), [("wrong", "fifty")] * 3, now=T0 + n * DAY)
    many = progress_queries(learner_client)
    # Any attempt not yet read into the notebook; the answers added up in one pass; the deck.
    assert len(few) == len(many) == 3, many


def test_reading_attempts_into_the_notebook_costs_the_same_for_1_as_for_10(learner, quiz):
    def sync_queries():
        with CaptureQueriesContext(connection) as captured:
            services.sync_deck(learner)
        return len(captured)

    finished_attempt(learner, quiz, [("wrong", ""), ("right", ""), ("right", "")])
    sync_queries()  # the first visit also makes the learner's deck
    finished_attempt(learner, QuizFactory(with_questions=3), [("wrong", "")] * 3, now=T0 + DAY)
    one = sync_queries()
    for n in range(10):
        finished_attempt(learner, QuizFactory(with_questions=3), [("wrong", "")] * 3, now=T0 + (n + 2) * DAY)
    ten = sync_queries()
    assert one == ten
    assert sync_queries() == 1


# --- teachers: the scores report ------------------------------------------------------------------


def test_the_class_scores_report_shows_weakest_topic_and_guesses_on_the_page_and_in_exports(
    client, teacher, learner, other_learner
):
    import csv
    import io

    import openpyxl

    from tests.test_teaching_support import make_class

    polity, economy = TopicFactory(name="Polity"), TopicFactory(name="Economy")
    questions = [QuestionFactory(topic=polity), QuestionFactory(topic=polity), QuestionFactory(topic=economy), QuestionFactory(topic=economy)]
    quiz = QuizFactory(slug="weekly", with_questions=questions)
    classroom, _ = make_class(teacher, quiz, [learner, other_learner])
    # Asha: Polity right, Economy wrong; 2 of 4 answers guessed, +2 − 0.66: her guesses paid.
    finished_attempt(learner, quiz, [("right", "sure"), ("right", "guess"), ("wrong", "guess"), ("wrong", "")])
    # Ravi: Polity wrong; his one guess lost marks.
    finished_attempt(other_learner, quiz, [("wrong", "guess"), ("wrong", ""), ("right", "sure"), ("right", "")])
    # A revision session of Asha's mistakes changes nothing here.
    revision = Attempt.objects.get(pk=services.retake_mistakes(learner, Attempt.objects.get(user=learner).pk, T0 + DAY))
    take(revision, [("right", "guess"), ("right", "guess")], now=T0 + DAY)
    client.force_login(teacher)
    base = f"/teach/classes/{classroom.pk}/quizzes/weekly/"

    page = client.get(base).content.decode()
    asha = page[page.index('data-learner="asha"'):page.index('data-learner="ravi"')] if page.index('data-learner="asha"') < page.index('data-learner="ravi"') else page[page.index('data-learner="asha"'):]
    assert '<td data-weakest-topic>Economy</td>' in asha and ">50%<" in asha and "<td data-guesses-paid>yes</td>" in asha
    assert "<td data-guesses-paid>no</td>" in page

    rows = list(csv.reader(io.StringIO(client.get(base + "export/scores.csv").getvalue().decode("utf-8-sig"))))
    header = rows[0]
    by_user = {row[1]: dict(zip(header, row)) for row in rows[1:]}
    assert by_user["asha"]["Weakest topic"] == "Economy"
    assert by_user["asha"]["Guesses (share of answers)"] == "0.5"
    assert by_user["asha"]["Guesses paid"] == "yes"
    assert by_user["ravi"]["Weakest topic"] == "Polity" and by_user["ravi"]["Guesses paid"] == "no"

    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "export/scores.xlsx").getvalue()))
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(cells) if "Weakest topic" in row)
    header = cells[header_row]
    values = {row[1]: dict(zip(header, row)) for row in cells[header_row + 1:] if row[1]}
    assert values["asha"]["Weakest topic"] == "Economy" and values["asha"]["Guesses paid"] == "yes"


def test_the_weakest_topic_reads_in_hindi_on_a_hindi_report_and_in_english_in_its_exports(client, teacher, learner):
    import csv
    import io

    import openpyxl

    from tests.test_teaching_support import make_class

    polity = TopicFactory(name_en="Polity", name_hi="राजव्यवस्था")
    economy = TopicFactory(name_en="Economy", name_hi="अर्थव्यवस्था")
    quiz = QuizFactory(slug="weekly", with_questions=[QuestionFactory(topic=polity), QuestionFactory(topic=economy)])
    classroom, _ = make_class(teacher, quiz, [learner])
    finished_attempt(learner, quiz, [("wrong", ""), ("right", "")])
    client.force_login(teacher)
    client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    base = f"/teach/classes/{classroom.pk}/quizzes/weekly/"

    assert "<td data-weakest-topic>राजव्यवस्था</td>" in client.get(base).content.decode()
    # Exports are in English whoever downloads them, as their columns and statuses are.
    rows = list(csv.DictReader(io.StringIO(client.get(base + "export/scores.csv").getvalue().decode("utf-8-sig"))))
    assert rows[0]["Weakest topic"] == "Polity"
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(base + "export/scores.xlsx").getvalue())).active
    assert "Polity" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_an_editor_turns_confidence_off_for_a_quiz_in_admin(editor_client, quiz):
    page = editor_client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()
    import re

    # The switch is there, on by default.
    assert re.search(r'<input type="checkbox" name="ask_confidence"[^>]*checked', page)
