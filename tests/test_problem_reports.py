"""Learners report problems with questions, from the feedback and the review; editors work
through a queue in admin; a key change regrades the answers and tells each reporter."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from daily.models import ProblemReport
from daily.problems import REPORTS_PER_HOUR, notices_for
from quiz.models import Attempt
from tests.factories import QuestionFactory, QuizFactory
from tests.helpers import T0, correct_choice, show, start, submit
from tests.test_regrade import move_key_to_b


@pytest.fixture
def editors(editor):
    """The editor in a browser of their own (learner_client is pytest-django's `client`)."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def answered(learner, quiz, count=1):
    """The learner's attempt with its first `count` questions answered right."""
    attempt = start(learner, quiz)
    for _ in range(count):
        response = show(attempt)
        submit(attempt, response.position, "answer", correct_choice(response).pk, T0)
    return attempt


def report_url(attempt, number=1):
    return reverse("daily:report", args=[attempt.pk, number])


def send(client, attempt, number=1, reason="wrong_key", note="The article says 2024, not 2023."):
    return client.post(report_url(attempt, number), {"reason": reason, "note": note})


def test_a_learner_reports_a_question_from_its_feedback(learner_client, learner, quiz, clock):
    attempt = answered(learner, quiz)
    feedback = learner_client.get(reverse("quiz:feedback", args=[attempt.pk, 1])).content.decode()
    assert f'href="{report_url(attempt)}"' in feedback
    form = learner_client.get(report_url(attempt))
    assert form.status_code == 200 and quiz.questions.first().stem in form.content.decode()

    sent = send(learner_client, attempt)

    assert sent.status_code == 302 and sent["Location"] == reverse("quiz:feedback", args=[attempt.pk, 1])
    report = ProblemReport.objects.get()
    assert (report.reporter, report.reason, report.status) == (learner, "wrong_key", "open")
    assert report.question == Attempt.objects.get(pk=attempt.pk).responses.get(position=0).question
    assert report.note == "The article says 2024, not 2023." and report.created_at == T0


def test_the_review_of_a_finished_attempt_links_each_question_to_a_report(learner_client, learner, quiz, clock):
    attempt = answered(learner, quiz, count=3)
    review = learner_client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    assert all(f'href="{report_url(attempt, n)}"' in review for n in (1, 2, 3))
    assert send(learner_client, attempt, number=3)["Location"].endswith("/result/#q3")


def test_a_question_not_yet_answered_cannot_be_reported(learner_client, learner, quiz, exam_quiz, clock):
    attempt = answered(learner, quiz)
    exam = answered(learner, exam_quiz)  # exam style: answers only at the end
    assert send(learner_client, attempt, number=2).status_code == 409
    refused = send(learner_client, exam, number=1)
    assert refused.status_code == 403 and "when you finish" in refused.content.decode()
    assert not ProblemReport.objects.exists()


def test_another_learners_attempt_is_a_404(client, other_learner, learner, quiz, clock):
    attempt = answered(learner, quiz)
    client.force_login(other_learner)
    assert client.get(report_url(attempt)).status_code == 404
    assert send(client, attempt).status_code == 404
    assert not ProblemReport.objects.exists()


def test_one_open_report_per_learner_and_question(learner_client, learner, quiz, clock):
    attempt = answered(learner, quiz)
    send(learner_client, attempt)
    again = send(learner_client, attempt, reason="typo")
    assert again.status_code == 409 and "already reported this question" in again.content.decode()
    assert "data-already-reported" in learner_client.get(report_url(attempt)).content.decode()
    assert ProblemReport.objects.count() == 1
    ProblemReport.objects.update(status="rejected")
    assert send(learner_client, attempt, reason="typo").status_code == 302  # closed: may report again
    assert ProblemReport.objects.count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"note": "no reason"}, "Choose what is wrong."),
        ({"reason": "boring"}, "Choose one of the reasons listed."),
        ({"reason": "typo", "note": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_bad_report_is_a_400_with_a_message_and_nothing_is_written(learner_client, learner, quiz, clock, data, message):
    attempt = answered(learner, quiz)
    refused = learner_client.post(report_url(attempt), data)
    assert refused.status_code == 400 and message in refused.content.decode()
    assert not ProblemReport.objects.exists()


def test_reports_are_limited_per_learner_per_hour(learner_client, learner, clock):
    quiz = QuizFactory(with_questions=REPORTS_PER_HOUR + 1)
    attempt = answered(learner, quiz, count=REPORTS_PER_HOUR + 1)
    for number in range(1, REPORTS_PER_HOUR + 1):
        assert send(learner_client, attempt, number).status_code == 302
    refused = send(learner_client, attempt, REPORTS_PER_HOUR + 1)
    assert refused.status_code == 429 and "Please wait" in refused.content.decode()
    assert ProblemReport.objects.count() == REPORTS_PER_HOUR
    clock.move_to(T0 + timedelta(hours=1, seconds=1))  # the first report is an hour old
    assert send(learner_client, attempt, REPORTS_PER_HOUR + 1).status_code == 302


def test_a_note_is_escaped_for_the_learner_and_in_admin(learner_client, learner, editors, quiz, clock):
    attempt = answered(learner, quiz)
    send(learner_client, attempt, note='<img src=x onerror="alert(1)">')
    report = ProblemReport.objects.get()
    page = editors.get(reverse("admin:daily_problemreport_change", args=[report.pk])).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


# --- the editors' queue --------------------------------------------------------------------------


def test_editors_see_the_queue_busiest_question_first_with_counts(editors, learner, other_learner, clock):
    quiz = QuizFactory(with_questions=[QuestionFactory(stem="Quiet question"), QuestionFactory(stem="Busy question")])
    for user in (learner, other_learner):
        attempt = answered(user, quiz, count=2)
        ProblemReport.objects.create(question=attempt.responses.get(position=1).question, reporter=user, reason="typo", created_at=T0)
    ProblemReport.objects.create(question=quiz.questions.get(stem="Quiet question"), reporter=learner, reason="other", created_at=T0)
    page = editors.get(reverse("admin:daily_problemreport_changelist")).content.decode()
    assert page.index("Busy question") < page.index("Quiet question")
    assert '<td class="field-open_on_question">2</td>' in page
    assert editors.get(reverse("admin:daily_problemreport_add")).status_code == 403


def test_an_editors_reply_reaches_the_reporter_on_their_next_visit_until_dismissed(
    learner_client, learner, editors, quiz, clock
):
    attempt = answered(learner, quiz)
    send(learner_client, attempt)
    report = ProblemReport.objects.get()
    changed = editors.post(
        reverse("admin:daily_problemreport_change", args=[report.pk]),
        {"status": "rejected", "reply": "The key matches the <b>article</b>."},
    )
    assert changed.status_code == 302
    listing = learner_client.get(reverse("quiz:list")).content.decode()
    assert "was marked rejected. The editor&#x27;s reply: The key matches the &lt;b&gt;article&lt;/b&gt;." in listing
    dismissed = learner_client.post(reverse("daily:dismiss_notice", args=[report.pk]))
    assert dismissed.status_code == 302
    assert "About your reports" not in learner_client.get(reverse("quiz:list")).content.decode()


def test_another_learner_cannot_dismiss_a_notice(client, other_learner, learner, quiz, clock):
    report = ProblemReport.objects.create(
        question=quiz.questions.first(), reporter=learner, reason="typo", created_at=T0, notice="Fixed.", notice_pending=True
    )
    client.force_login(other_learner)
    assert client.post(reverse("daily:dismiss_notice", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.notice_pending


def test_a_key_change_regrades_and_every_reporter_is_told(learner_client, learner, editors, quiz, clock):
    attempt = answered(learner, quiz, count=3)
    first = attempt.responses.get(position=0).question
    send(learner_client, attempt)
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("6")

    assert move_key_to_b(editors, first).status_code == 302

    assert Attempt.objects.get(pk=attempt.pk).score == Decimal("3.34")  # the existing regrade ran
    listing = learner_client.get(reverse("quiz:list")).content.decode()
    assert "An editor changed the answer to a question you reported" in listing
    assert "to (b)" in listing and "your score updated" in listing


# --- notices in the language the reporter reads --------------------------------------------------


def in_hindi(question):
    """The question with its stem and options in Hindi as well."""
    question.stem_hi = "प्रश्न: किस वर्ष समझौता हुआ?"
    question.save(update_fields=["stem_hi"])
    for choice in question.choices.all():
        choice.text_hi = f"विकल्प {choice.letter}"
        choice.save(update_fields=["text_hi"])
    return question


def read_in(client, code):
    client.post(reverse("switch_language"), {"language": code, "next": "/"})


def notices_on(client) -> str:
    page = client.get(reverse("quiz:list")).content.decode()
    return page[page.index('id="report-notices"') :]


def test_a_key_change_notice_reads_in_hindi_with_the_question_in_hindi_and_in_english_after_a_switch(
    learner_client, learner, editors, quiz, clock
):
    attempt = answered(learner, quiz)
    question = in_hindi(attempt.responses.get(position=0).question)
    send(learner_client, attempt)
    assert move_key_to_b(editors, question).status_code == 302
    read_in(learner_client, "hi")

    notices = notices_on(learner_client)
    assert "एक संपादक ने आपके द्वारा रिपोर्ट किए गए प्रश्न (“प्रश्न: किस वर्ष समझौता हुआ?”) का उत्तर" in notices
    assert "(a) “विकल्प A” से बदलकर (b) “विकल्प B” कर दिया है।" in notices
    assert "An editor" not in notices and "which agreement" not in notices

    read_in(learner_client, "en")
    notices = notices_on(learner_client)
    assert f"(“{question.stem_en}”) from (a) “{question.choices.get(position=0).text_en}”" in notices


def test_a_closed_report_notice_reads_in_hindi_with_the_editors_reply_as_written(
    learner_client, learner, editors, quiz, clock
):
    attempt = answered(learner, quiz)
    in_hindi(attempt.responses.get(position=0).question)
    send(learner_client, attempt)
    report = ProblemReport.objects.get()
    editors.post(reverse("admin:daily_problemreport_change", args=[report.pk]), {"status": "fixed", "reply": "Typo fixed."})
    report.refresh_from_db()
    assert (report.notice_kind, report.notice, report.notice_pending) == ("fixed", "", True)
    read_in(learner_client, "hi")

    notices = notices_on(learner_client)
    assert "प्रश्न “प्रश्न: किस वर्ष समझौता हुआ?” पर आपकी रिपोर्ट को “सुधारी गई” चिह्नित किया गया है।" in notices
    assert "संपादक का उत्तर: Typo fixed." in notices and "Your report" not in notices


def test_the_notices_are_one_query_whatever_their_kinds(learner, quiz, django_assert_num_queries):
    first, second, third = quiz.questions.order_by("pk")
    b = first.choices.get(position=1)
    for question, kind, keys in [(first, "key_changed", (None, b)), (second, "rejected", ())]:
        report = ProblemReport(question=question, reporter=learner, reason="typo", status="rejected", created_at=T0)
        report.tell_reporter(kind, *keys)
        report.save()
    ProblemReport.objects.create(
        question=third, reporter=learner, reason="typo", created_at=T0, notice="A notice written out before.", notice_pending=True
    )
    with translation.override("hi"), django_assert_num_queries(1):
        notices = notices_for(learner)
    texts = [notice.text for notice in notices]  # newest first
    assert texts[0] == "A notice written out before."
    assert "“अस्वीकृत” चिह्नित" in texts[1] and second.stem_en in texts[1]  # no Hindi stem: its English
    assert f"(कोई विकल्प नहीं) से बदलकर (b) “{b.text}” कर दिया है।" in texts[2]


# --- notices written out before: the data migration ----------------------------------------------


def test_the_data_migration_reads_written_notices_back_and_keeps_what_does_not_read_back(learner, quiz):
    first, second, third = quiz.questions.order_by("pk")
    a, b = first.choices.order_by("position")[:2]

    def written(question, notice, status="open", reply=""):
        return ProblemReport.objects.create(
            question=question, reporter=learner, reason="typo", status=status, reply=reply, created_at=T0,
            notice=notice, notice_pending=True,
        )

    key = written(
        first,
        f"An editor changed the answer to a question you reported (“{first}”) from (a) “{a.text}” to (b) “{b.text}”. "
        "Answers to it were marked again and your score updated.",
    )
    closed = written(second, f"Your report on “{second}” was marked rejected. The editor's reply: No.", "rejected", "No.")
    other = written(third, "Fixed.", status="fixed")

    importlib.import_module("daily.migrations.0005_read_back_written_notices").read_back(django_apps, None)

    key.refresh_from_db(), closed.refresh_from_db(), other.refresh_from_db()
    assert (key.notice_kind, key.previous_key, key.current_key, key.notice) == ("key_changed", a, b, "")
    assert (closed.notice_kind, closed.notice) == ("rejected", "")
    assert (other.notice_kind, other.notice) == ("", "Fixed.")
    with translation.override("hi"):
        texts = [notice.text for notice in notices_for(learner)]
    assert texts[0] == "Fixed." and "संपादक का उत्तर: No." in texts[1] and "(a) “Q" in texts[2]  # newest first
