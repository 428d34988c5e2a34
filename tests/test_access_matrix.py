"""Who sees what: every URL that takes an object id, for every kind of person, with the exact
answer each gets. The tables below are the specification; each row is a test.

The people: anonymous; the owner (asha, a learner in Meena's class, whose attempts these are);
another learner (ravi, in the same class, with an attempt of his own); the class's teacher
(meena); another teacher (vikram, with a class of his own on the same quiz); a question editor
(farhan, staff, curates the bank in admin); an admin (a superuser).

How to read a cell: a number is the status; LOGIN is a redirect to the log-in page that comes
back to the URL; ADMIN_LOGIN the same for admin's log-in page; `to("/path/")` another redirect.
Outsiders get 404 rather than 403 on the site's own pages: a class, an attempt or a report that
is not yours does not exist for you. Admin answers 403 to staff without the permission, as
Django's admin does.

Every cell also checks that the request wrote nothing, except the cells marked as writing in
the POST table, which check that the write happened.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from daily.models import ProblemReport, Profile
from questions.models import Choice, GiveawayGroup, Passage, Question, Source, Topic
from learning.models import Card, Deck
from quiz import papers
from quiz.models import Attempt, Quiz, QuizQuestion, Response, TimeAllowance
from teaching.models import Assignment, Classroom, Membership
from tests.factories import UserFactory
from tests.helpers import place_of, show, start, submit
from tests.test_teaching_support import make_class, make_quiz, take

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_learner", "teacher", "other_teacher", "editor", "admin")
LOGIN = "login"
ADMIN_LOGIN = "admin login"


@dataclass(frozen=True)
class to:  # noqa: N801 - reads as a cell of the table: to("/attempts/{done}/result/")
    path: str


# --- the database, before and after ----------------------------------------------------------

WATCHED = [
    get_user_model(),
    get_user_model().groups.through,
    Group,
    Attempt,
    Response,
    Quiz,
    QuizQuestion,
    Question,
    Choice,
    Source,
    Passage,
    Topic,
    GiveawayGroup,
    GiveawayGroup.questions.through,
    Classroom,
    Membership,
    Assignment,
    TimeAllowance,
    LogEntry,
    ProblemReport,
    Profile,
    Card,
    Deck,
]


def every_row() -> dict[str, list[dict]]:
    """Every row a request could write, field by field (sessions aside: logging in writes one)."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in WATCHED}


# --- the world the tables speak of -----------------------------------------------------------


@dataclass
class World:
    people: dict
    ids: dict
    quiz: Quiz
    spare_quiz: Quiz
    classroom: Classroom
    open_attempt: Attempt
    done_attempt: Attempt

    def url(self, template: str) -> str:
        return template.format(**self.ids)

    def client(self, role: str) -> Client:
        client = Client()
        if self.people[role] is not None:
            client.force_login(self.people[role])
        return client


@pytest.fixture
def world(learner, other_learner, teacher, other_teacher, editor) -> World:
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    quiz = make_quiz(2, slug="polity-weekly")  # feedback after each question
    classroom, _ = make_class(teacher, quiz, [learner, other_learner])
    make_class(other_teacher, quiz, [], name="Vikram's batch", code="XYZ789")
    done = take(learner, quiz, ["A", "B"])
    take(other_learner, quiz, ["B", "A"])
    # The owner is on question 2 of a second sitting, its clock running now.
    now = timezone.now()
    open_attempt = start(learner, quiz, now - timedelta(seconds=30))
    first = show(open_attempt, now - timedelta(seconds=30))
    submit(open_attempt, 0, "answer", first.question.choices.get(is_correct=True).pk, now - timedelta(seconds=25))
    show(open_attempt, now)
    # The owner's open paper (timed per paper), question 1 on screen.
    paper_quiz = make_quiz(2, slug="mock-paper", timing="paper", feedback="end", seconds_per_question=600)
    paper = start(learner, paper_quiz, now)
    papers.sheet(paper.pk, learner, 1, now)
    draft = make_quiz(1, slug="draft-quiz", is_published=False)
    make_quiz(1, slug="tomorrows-quiz", publish_at=now + timedelta(days=1))
    spare = make_quiz(1, slug="spare-quiz")
    question = Question.objects.filter(quizzes=quiz).first()
    giveaway = GiveawayGroup.objects.create(name="Same fact twice")
    giveaway.questions.set(Question.objects.filter(quizzes__in=[quiz, spare]))
    # A report of the owner's that an editor has closed, its notice not yet read.
    report = ProblemReport.objects.create(
        question=question, reporter=learner, reason="typo", status="fixed", created_at=now, notice="Fixed.", notice_pending=True
    )
    ids = {
        "open": open_attempt.pk,
        "done": done.pk,
        "paper": paper.pk,
        "class": classroom.pk,
        "quiz": quiz.slug,
        "quiz_id": quiz.pk,
        "draft": draft.slug,
        "scheduled": "tomorrows-quiz",
        "spare": spare.slug,
        "report": report.pk,
        "owner_id": learner.pk,
        "code": classroom.join_code,
        "question": question.pk,
        "source": question.source.pk,
        "source_slug": question.source.slug,
        "topic": question.topic.pk,
        "passage": Passage.objects.create(source=question.source, position=9999, text="A paragraph.").pk,
        "giveaway": giveaway.pk,
        "group": Group.objects.get(name="Teachers").pk,
    }
    people = {
        "anonymous": None,
        "owner": learner,
        "other_learner": other_learner,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "editor": editor,
        "admin": admin,
    }
    return World(people, ids, quiz, spare, classroom, open_attempt, done)


def sent_to(response) -> tuple[int, str | None]:
    """A redirect as (302, where). To an htmx request the quiz's views answer a redirect, the
    log-in page's included, with a 200 and HX-Redirect, so the whole page goes there."""
    if "HX-Redirect" in response and response.status_code == 200:
        return 302, response["HX-Redirect"]
    return response.status_code, response.get("Location")


def check(world: World, role: str, url: str, response, expected) -> None:
    if expected == LOGIN:
        assert sent_to(response) == (302, f"/accounts/login/?next={url}"), (role, url)
    elif expected == ADMIN_LOGIN:
        assert sent_to(response) == (302, f"/admin/login/?next={url}"), (role, url)
    elif isinstance(expected, to):
        assert sent_to(response) == (302, world.url(expected.path)), (role, url)
    else:
        assert response.status_code == expected, (role, url, response.status_code)


# --- pages (GET) -------------------------------------------------------------------------------

_ = None  # keeps the columns lined up in the tables
# fmt: off
PAGES = [
    # url                                                         anonymous    owner                         other_learner teacher other_teacher editor admin
    # The learner's own attempts: nobody else's, not even an admin's or the class's teacher's.
    ("/attempts/{open}/",                                          LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{done}/",                                          LOGIN,       to("/attempts/{done}/result/"), 404, 404,  404,  404,  404),
    ("/attempts/{done}/questions/1/",                              LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/questions/1/",                              LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/questions/2/",                              LOGIN,       409,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/questions/3/",                              LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/attempts/{done}/result/",                                   LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/result/",                                   LOGIN,       to("/attempts/{open}/"),      404,  404,  404,  404,  404),
    # A paper: its owner's alone. A reload of the question on screen writes nothing.
    ("/attempts/{paper}/paper/",                                   LOGIN,       to("/attempts/{paper}/paper/1/"), 404, 404, 404, 404, 404),
    ("/attempts/{paper}/paper/1/",                                 LOGIN,       200,                          404,  404,  404,  404,  404),
    # After the last question (where Save & Next leads): the submit page; beyond it, nothing.
    ("/attempts/{paper}/paper/3/",                                 LOGIN,       to("/attempts/{paper}/paper/submit/"), 404, 404, 404, 404, 404),
    ("/attempts/{paper}/paper/4/",                                 LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/attempts/{paper}/paper/submit/",                            LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{paper}/",                                         LOGIN,       to("/attempts/{paper}/paper/"), 404, 404, 404, 404, 404),
    ("/attempts/{paper}/result/",                                  LOGIN,       to("/attempts/{paper}/"),     404,  404,  404,  404,  404),
    ("/attempts/{done}/paper/",                                    LOGIN,       to("/attempts/{done}/"),      404,  404,  404,  404,  404),
    # Reporting a problem with a question: the owner's, once its answer is theirs to see.
    ("/attempts/{done}/questions/1/report/",                       LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/questions/1/report/",                       LOGIN,       200,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/questions/2/report/",                       LOGIN,       409,                          404,  404,  404,  404,  404),
    ("/attempts/{open}/questions/3/report/",                       LOGIN,       404,                          404,  404,  404,  404,  404),
    # Quizzes and sources are for every learner once released; a draft quiz, or one before its
    # publish time, is for editors and admins to preview.
    ("/quizzes/{quiz}/",                                           LOGIN,       200,                          200,  200,  200,  200,  200),
    ("/quizzes/{draft}/",                                          LOGIN,       404,                          404,  404,  404,  200,  200),
    ("/quizzes/{scheduled}/",                                      LOGIN,       404,                          404,  404,  404,  200,  200),
    # A quiz's leaderboard: every learner's, once the quiz is released; a class's, its teacher's.
    ("/quizzes/{quiz}/leaderboard/",                               LOGIN,       200,                          200,  200,  200,  200,  200),
    ("/quizzes/{scheduled}/leaderboard/",                          LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/quizzes/{draft}/leaderboard/",                              LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/teach/classes/{class}/quizzes/{quiz}/leaderboard/",         LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{spare}/leaderboard/",        LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/sources/{source_slug}/",                                    LOGIN,       200,                          200,  200,  200,  200,  200),
    # A join link shows the class to whoever has it: the code is the secret.
    ("/classes/join/{code}/",                                      LOGIN,       200,                          200,  200,  200,  200,  200),
    ("/classes/join/NOSUCH/",                                      LOGIN,       404,                          404,  404,  404,  404,  404),
    # A class and everything in it: its teacher and admins only.
    ("/teach/classes/{class}/",                                    LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/",                     LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/items/",               LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/matrix/",              LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/attempts/{done}/",     LOGIN,       404,                          404,  200,  404,  404,  200),
    # The pages that ask before removing a learner or unassigning a quiz.
    ("/teach/classes/{class}/learners/{owner_id}/remove/",         LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/unassign/",            LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/attempts/{open}/",     LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/teach/classes/{class}/quizzes/{quiz}/export/scores.csv",    LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/export/scores.xlsx",   LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/export/items.csv",     LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/export/items.xlsx",    LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/export/matrix.csv",    LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/export/matrix.xlsx",   LOGIN,       404,                          404,  200,  404,  404,  200),
    ("/teach/classes/{class}/quizzes/{quiz}/export/answers.csv",   LOGIN,       404,                          404,  404,  404,  404,  404),
    ("/teach/classes/{class}/quizzes/{draft}/",                    LOGIN,       404,                          404,  404,  404,  404,  404),
    # A quiz's printed paper holds its key: never a learner's. Teachers print the quizzes they
    # may assign (released); editors and admins any quiz, as they preview it.
    ("/teach/quizzes/{quiz}/print/",                               LOGIN,       404,                          404,  200,  200,  200,  200),
    ("/teach/quizzes/{draft}/print/",                              LOGIN,       404,                          404,  404,  404,  200,  200),
    ("/teach/quizzes/{scheduled}/print/",                          LOGIN,       404,                          404,  404,  404,  200,  200),
    # Admin: staff only; editors curate the bank and its quizzes, and nothing else.
    ("/admin/questions/question/{question}/change/",               ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/questions/question/{question}/history/",              ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    # A question learners have answered is never deleted: its delete page sends you back.
    ("/admin/questions/question/{question}/delete/",               ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN,
                                                                   to("/admin/questions/question/{question}/change/"), to("/admin/questions/question/{question}/change/")),
    ("/admin/questions/source/{source}/change/",                   ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/questions/source/{source}/import-text/",              ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/questions/passage/{passage}/change/",                 ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/questions/topic/{topic}/change/",                     ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/questions/giveawaygroup/{giveaway}/change/",          ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/quiz/quiz/{quiz_id}/change/",                         ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/daily/problemreport/{report}/change/",                ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200),
    ("/admin/teaching/classroom/{class}/change/",                  ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
    ("/admin/auth/user/{owner_id}/change/",                        ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
    ("/admin/auth/user/{owner_id}/password/",                      ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
    ("/admin/auth/group/{group}/change/",                          ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200),
    # Attempts and responses are learners' records: not in admin at all, for anyone.
    ("/admin/quiz/attempt/{done}/change/",                         ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, 404),
    ("/admin/quiz/response/1/change/",                             ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 404, 404),
]
# fmt: on


# The site's own pages are asked for as full pages and as htmx fragments; admin has no fragments.
PAGE_CELLS = [
    pytest.param(row[0], row[1:], htmx, id=f"{row[0]} {'htmx' if htmx else 'page'}")
    for row in PAGES
    for htmx in ([False] if row[0].startswith("/admin/") else [False, True])
]


@pytest.mark.parametrize(("url", "cells", "htmx"), PAGE_CELLS)
def test_each_person_gets_exactly_this_answer(world, url, cells, htmx):
    # strict: a row with a cell too many or too few fails here instead of shifting a column.
    expected = dict(zip(ROLES, cells, strict=True))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    clients = {role: world.client(role) for role in ROLES}
    before = every_row()
    path = world.url(url)
    for role in ROLES:
        check(world, role, path, clients[role].get(path, **headers), expected[role])
    assert every_row() == before


def test_the_table_covers_every_url_that_takes_an_id(world):
    """A new URL with an id in it must get a row above (and admin a row for every model)."""
    covered = {resolve(world.url(row[0]).split("?")[0]).view_name for row in PAGES + POSTS}
    with_ids = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.pattern.converters and pattern.name:
                with_ids.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    # Django's own password-reset link carries a token, not an object of ours.
    with_ids.discard("password_reset_confirm")
    assert with_ids - covered == set()
    from django.contrib import admin

    ours = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        for model in admin.site._registry
        if model._meta.app_label in {"questions", "quiz", "teaching", "auth", "daily"}
    }
    assert ours - covered == set()


# --- changes (POST) ----------------------------------------------------------------------------
# A cell marked WRITES is the one person whose request goes through: the test checks the change
# was made. Every other cell checks that nothing at all was written.


@dataclass(frozen=True)
class writes:  # noqa: N801 - a cell of the table
    answer: object  # the expected status, LOGIN, or to(...)


def answer_data(world):
    current = Response.objects.get(attempt=world.open_attempt, position=1)
    return {"position": 1, "choice": place_of(current, current.question.choices.get(is_correct=True).pk)}


def answered(world) -> bool:
    return Response.objects.get(attempt=world.open_attempt, position=1).outcome == "correct"


def assign_data(world):
    return {"quiz": world.spare_quiz.pk, "due_at": ""}


def assigned(world) -> bool:
    return Assignment.objects.filter(classroom=world.classroom, quiz=world.spare_quiz).exists()


def removed(world) -> bool:
    return not Membership.objects.filter(classroom=world.classroom, learner=world.people["owner"]).exists()


def unassigned(world) -> bool:
    return not Assignment.objects.filter(classroom=world.classroom, quiz=world.quiz).exists()


def time_data(world):
    return {"factor": "1.50"}


def timed(world) -> bool:
    return TimeAllowance.objects.filter(user=world.people["owner"], factor="1.50").exists()


def paper_answer(world):
    response = Response.objects.get(attempt_id=world.ids["paper"], position=0)
    return {"choice": place_of(response, response.question.choices.get(is_correct=True).pk), "action": "save"}


def paper_saved(world) -> bool:
    return Response.objects.get(attempt_id=world.ids["paper"], position=0).saved_choice_id is not None


def paper_closed(world) -> bool:
    return Attempt.objects.get(pk=world.ids["paper"]).is_finished


def nothing(world):
    return {}


def report_data(world):
    return {"reason": "wrong_key", "note": "The article says otherwise."}


def reported(world) -> bool:
    return ProblemReport.objects.filter(reporter=world.people["owner"], status="open", reason="wrong_key").exists()


def dismissed(world) -> bool:
    return not ProblemReport.objects.get(pk=world.ids["report"]).notice_pending


def revision_started(world) -> bool:
    return Attempt.objects.filter(user=world.people["owner"], is_revision=True).exists()


def carded(world) -> bool:
    return Card.objects.filter(question_id=world.ids["question"]).exists()


def practising(world) -> bool:
    return Attempt.objects.filter(quiz__slug=f"practise-topic-{world.ids['topic']}").exists()


CLASS_PAGE = to("/teach/classes/{class}/")
NOTEBOOK = to("/revise/")
QUESTION_PAGE = to("/admin/questions/question/{question}/change/")
# fmt: off
POSTS = [
    # url                                                    data          done by      anonymous    owner                                          other_learner teacher            other_teacher editor           admin
    ("/attempts/{open}/answer/",                             answer_data,  answered,    LOGIN,       writes(to("/attempts/{open}/questions/2/")),  404,          404,               404,          404,             404),
    ("/attempts/{paper}/paper/1/",                           paper_answer, paper_saved, LOGIN,       writes(to("/attempts/{paper}/paper/2/")),    404,          404,               404,          404,             404),
    ("/attempts/{paper}/paper/submit/",                      nothing,      paper_closed, LOGIN,      writes(to("/attempts/{paper}/result/")),     404,          404,               404,          404,             404),
    ("/teach/classes/{class}/assign/",                       assign_data,  assigned,    LOGIN,       404,                                           404,          writes(CLASS_PAGE), 404,         404,             writes(CLASS_PAGE)),
    ("/teach/classes/{class}/learners/{owner_id}/remove/",   nothing,      removed,     LOGIN,       404,                                           404,          writes(CLASS_PAGE), 404,         404,             writes(CLASS_PAGE)),
    ("/teach/classes/{class}/quizzes/{quiz}/unassign/",      nothing,      unassigned,  LOGIN,       404,                                           404,          writes(CLASS_PAGE), 404,         404,             writes(CLASS_PAGE)),
    ("/teach/classes/{class}/learners/{owner_id}/time/",     time_data,    timed,       LOGIN,       404,                                           404,          writes(CLASS_PAGE), 404,         404,             writes(CLASS_PAGE)),
    ("/quizzes/{draft}/start/",                              nothing,      None,        LOGIN,       404,                                           404,          404,               404,          404,             404),
    ("/quizzes/{scheduled}/start/",                          nothing,      None,        LOGIN,       404,                                           404,          404,               404,          404,             404),
    ("/attempts/{done}/questions/1/report/",                 report_data,  reported,    LOGIN,       writes(to("/attempts/{done}/result/#q1")),    404,          404,               404,          404,             404),
    ("/reports/{report}/dismiss/",                           nothing,      dismissed,   LOGIN,       writes(to("/")),                               404,          404,               404,          404,             404),
    # The mistakes notebook: an attempt's mistakes only by its learner; a question only by those
    # who have answered it (both learners took the quiz), into their own notebook.
    ("/revise/attempts/{done}/mistakes/",                    nothing,      revision_started, LOGIN,  writes(302),                                   404,          404,               404,          404,             404),
    ("/revise/questions/{question}/add/",                    nothing,      carded,      LOGIN,       writes(NOTEBOOK),                              writes(NOTEBOOK), 404,           404,          404,             404),
    ("/revise/questions/{question}/remove/",                 nothing,      None,        LOGIN,       NOTEBOOK,                                      NOTEBOOK,     404,               404,          404,             404),
    # Practising a topic is open to everyone logged in: a fresh draw of its published questions.
    ("/progress/topics/{topic}/practise/",                   nothing,      practising,  LOGIN,       writes(302),                                   writes(302),  writes(302),       writes(302),  writes(302),     writes(302)),
    ("/progress/topics/999999/practise/",                    nothing,      None,        LOGIN,       404,                                           404,          404,               404,          404,             404),
    # Admin with an empty form: staff with the permission see the form again, with its errors.
    ("/admin/questions/question/{question}/change/",         nothing,      None,        ADMIN_LOGIN, ADMIN_LOGIN,                                   ADMIN_LOGIN,  ADMIN_LOGIN,       ADMIN_LOGIN,  200,             200),
    ("/admin/questions/question/{question}/delete/",         lambda w: {"post": "yes"}, None, ADMIN_LOGIN, ADMIN_LOGIN,                      ADMIN_LOGIN,  ADMIN_LOGIN,       ADMIN_LOGIN,  QUESTION_PAGE,   QUESTION_PAGE),
    ("/admin/teaching/classroom/{class}/change/",            nothing,      None,        ADMIN_LOGIN, ADMIN_LOGIN,                                   ADMIN_LOGIN,  ADMIN_LOGIN,       ADMIN_LOGIN,  403,             200),
    ("/admin/auth/user/{owner_id}/change/",                  nothing,      None,        ADMIN_LOGIN, ADMIN_LOGIN,                                   ADMIN_LOGIN,  ADMIN_LOGIN,       ADMIN_LOGIN,  403,             200),
]
# fmt: on
POST_CELLS = [
    pytest.param(url, data, done, role, expected, id=f"{url} {role}")
    for url, data, done, *cells in POSTS
    for role, expected in zip(ROLES, cells, strict=True)  # a short or long row: a collection error
]


@pytest.mark.parametrize(("url", "data", "done", "role", "expected"), POST_CELLS)
def test_each_person_may_change_exactly_this(world, url, data, done, role, expected):
    client = world.client(role)
    before = every_row()
    path = world.url(url)
    response = client.post(path, data(world))
    if isinstance(expected, writes):
        check(world, role, path, response, expected.answer)
        assert done(world), f"{role} was allowed but {url} changed nothing"
    else:
        check(world, role, path, response, expected)
        assert every_row() == before, f"{role}'s refused POST to {url} wrote to the database"
