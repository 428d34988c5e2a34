"""`manage.py seed_demo` fills a database with learners and finished attempts whose totals agree
with their responses, from the article bank or, without it, from synthetic questions; with
`--class-size`, classes with teachers, members and assigned quizzes whose reports show them."""

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from django.urls import reverse

from questions.models import Question
from quiz.models import Attempt, Quiz, Response
from teaching.models import Assignment, Classroom, Membership, is_teacher
from tests.factories import AttemptFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("seed_demo", *args, stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))


def test_it_seeds_learners_attempts_and_one_response_per_question():
    seed("--learners", "20", "--attempts", "45", "--questions", "6", "--quizzes", "3")

    learners = get_user_model().objects.filter(username__startswith="demo-")
    assert learners.count() == 20
    assert Quiz.objects.filter(slug__startswith="demo-quiz-", is_published=True).count() == 3
    attempts = Attempt.objects.filter(user__in=learners)
    assert attempts.count() == 45 and attempts.finished().count() == 45
    assert Response.objects.filter(attempt__in=attempts).count() == 45 * 6
    assert not Response.objects.filter(outcome=Response.Outcome.OPEN).exists()
    # Spread round robin: every learner has two or three attempts.
    per_learner = set(attempts.values("user").annotate(n=Count("id")).values_list("n", flat=True))
    assert per_learner == {2, 3}


def test_each_attempts_totals_agree_with_its_responses():
    seed("--learners", "5", "--attempts", "12", "--questions", "8")

    for attempt in Attempt.objects.all():
        rows = attempt.responses.all()
        outcomes = list(rows.values_list("outcome", flat=True))
        assert attempt.question_count == len(outcomes) == 8
        assert attempt.correct_count == outcomes.count("correct")
        assert attempt.wrong_count == outcomes.count("wrong")
        assert attempt.unanswered_count == outcomes.count("skipped") + outcomes.count("timed_out")
        # Added in Python: SQLite sums decimals as floats.
        assert attempt.score == sum(rows.values_list("marks", flat=True), Decimal("0"))
        assert attempt.finished_at == max(rows.values_list("answered_at", flat=True))
        for response in rows.select_related("choice"):
            assert response.shown_at <= response.answered_at <= response.deadline
            if response.outcome in ("correct", "wrong"):
                assert response.choice.question_id == response.question_id
                assert response.choice.is_correct == (response.outcome == "correct")
                assert response.marks == (
                    Decimal("2") if response.outcome == "correct" else Decimal("-0.66")
                )
            else:
                assert response.choice is None and response.marks == 0


def test_it_loads_the_article_bank_when_the_database_has_no_questions():
    seed("--learners", "2", "--attempts", "2", "--questions", "5", "--quizzes", "1")
    assert Question.objects.published().filter(source__slug="demo-synthetic-source").count() == 0
    assert Question.objects.published().count() >= 5


def test_it_makes_synthetic_questions_when_the_bank_is_too_small():
    seed("--learners", "2", "--attempts", "3", "--questions", "60", "--quizzes", "1")
    quiz = Quiz.objects.get(slug="demo-quiz-1")
    assert quiz.quiz_questions.count() == 60
    assert Question.objects.filter(source__slug="demo-synthetic-source").exists()
    assert Attempt.objects.get(pk=Attempt.objects.first().pk).responses.count() == 60


def test_learners_log_in_with_the_demo_password():
    seed("--learners", "3", "--attempts", "0", "--password", "try-the-demo")
    assert authenticate(username="demo-00002", password="try-the-demo") is not None


def test_it_splits_the_learners_into_classes_each_with_a_teacher_and_the_quizzes_assigned():
    seed("--learners", "7", "--attempts", "7", "--questions", "4", "--quizzes", "2", "--class-size", "3")

    classes = list(Classroom.objects.order_by("pk"))
    assert [c.memberships.count() for c in classes] == [3, 3, 1]  # the last takes the rest
    assert [c.teacher.username for c in classes] == [f"demo-teacher-{n}" for n in (1, 2, 3)]
    assert all(is_teacher(c.teacher) for c in classes)
    first = classes[0].memberships.order_by("learner__username")
    assert [m.learner.username for m in first] == ["demo-00001", "demo-00002", "demo-00003"]
    assert Membership.objects.count() == 7  # every learner in exactly one class
    demo_quizzes = set(Quiz.objects.filter(slug__startswith="demo-quiz-"))
    for classroom in classes:
        assert {a.quiz for a in classroom.assignments.all()} == demo_quizzes
    # Teachers are not learners: no attempts of theirs.
    assert not Attempt.objects.filter(user__username__startswith="demo-teacher-").exists()
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 7 + 3


def test_a_class_of_learners_on_a_long_fixed_quiz_shows_in_the_teachers_reports(client):
    seed("--learners", "6", "--attempts", "6", "--questions", "60", "--quizzes", "1", "--class-size", "6")

    classroom = Classroom.objects.get()
    quiz = Quiz.objects.get(slug="demo-quiz-1")
    assert quiz.selection == Quiz.Selection.FIXED and quiz.quiz_questions.count() == 60
    client.force_login(classroom.teacher)
    scores = client.get(reverse("teaching:scores", args=[classroom.pk, quiz.slug]))
    assert scores.status_code == 200
    assert "6 of 6" in scores.content.decode()  # submitted, of the class
    matrix = client.get(reverse("teaching:matrix", args=[classroom.pk, quiz.slug]))
    assert "Questions 51–60" in matrix.content.decode()
    assert authenticate(username=classroom.teacher.username, password="demo-learner-2026")


def test_reset_removes_the_demo_classes_too():
    seed("--learners", "4", "--attempts", "4", "--class-size", "2")
    seed("--learners", "3", "--attempts", "3", "--class-size", "3", "--reset")
    assert Classroom.objects.count() == 1
    assert Membership.objects.count() == 3
    assert Assignment.objects.count() == 5


def test_the_same_seed_gives_the_same_classes():
    seed("--learners", "5", "--attempts", "5", "--class-size", "2", "--seed", "4")
    first = list(Classroom.objects.order_by("pk").values_list("name", "join_code"))
    seed("--learners", "5", "--attempts", "5", "--class-size", "2", "--seed", "4", "--reset")
    assert list(Classroom.objects.order_by("pk").values_list("name", "join_code")) == first


def test_it_refuses_to_seed_twice_unless_told_to_reset():
    seed("--learners", "3", "--attempts", "4")
    with pytest.raises(CommandError, match="--reset"):
        seed("--learners", "3", "--attempts", "4")
    seed("--learners", "4", "--attempts", "2", "--reset")
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 4
    assert Attempt.objects.count() == 2


def test_the_same_seed_gives_the_same_data():
    seed("--learners", "4", "--attempts", "6", "--seed", "9")
    first = outcomes_in_order()
    seed("--learners", "4", "--attempts", "6", "--seed", "9", "--reset")
    assert outcomes_in_order() == first


def outcomes_in_order():
    rows = Response.objects.order_by("attempt__user__username", "attempt__started_at", "position")
    return list(rows.values_list("outcome", "marks"))


def test_it_leaves_real_accounts_and_quizzes_named_like_its_own_alone():
    """Anyone may sign up as "demo-ravi", and an editor may name a quiz "demo-quiz-basics":
    seeding neither refuses because of them nor puts such a learner in a seeded class, and
    --reset deletes none of them, nor their attempts."""
    ravi = UserFactory(username="demo-ravi")
    basics = QuizFactory(slug="demo-quiz-basics", with_questions=2)
    AttemptFactory(user=ravi, quiz=basics)

    seed("--learners", "3", "--attempts", "3", "--class-size", "3")
    seed("--learners", "2", "--attempts", "2", "--class-size", "2", "--reset")

    ravis = Attempt.objects.filter(user__username="demo-ravi")
    assert list(ravis.values_list("quiz__slug", flat=True)) == ["demo-quiz-basics"]
    assert not Membership.objects.filter(learner__username="demo-ravi").exists()
    users = get_user_model().objects
    seeded = users.filter(username__startswith="demo-").exclude(username="demo-ravi")
    assert sorted(seeded.values_list("username", flat=True)) == [
        "demo-00001",
        "demo-00002",
        "demo-teacher-1",
    ]
    assert Attempt.objects.filter(user__in=seeded).count() == 2
