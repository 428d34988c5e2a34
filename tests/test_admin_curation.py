"""Curating the bank in Django admin as a question editor: the question list, adding and
changing questions with their options, every validation message, deleting, the bulk actions,
sources, topics and quizzes; and who may not come in."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from questions.models import Choice, Question, Source, Topic
from quiz.models import Quiz
from tests.factories import (
    PassageFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from tests.helpers import show, start, submit

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")
ADD = reverse("admin:questions_question_add")


def change_url(question):
    return reverse("admin:questions_question_change", args=[question.pk])


def page(response) -> str:
    return response.content.decode()


def question_data(question=None, *, choices=None, **fields):
    """The admin change form's POST for a question and its options.

    `choices` is [(text, is_correct)] or [(choice, text, is_correct, position)] for existing
    options; new options leave their position blank."""
    data = {
        "source": question.source_id if question else "",
        "passage": (question.passage_id or "") if question else "",
        "topic": question.topic_id if question else "",
        "difficulty": question.difficulty if question else "medium",
        "style": question.style if question else "direct",
        "status": question.status if question else "draft",
        "stem_en": question.stem_en if question else "",
        "explanation_en": question.explanation_en if question else "",
        # The Hindi tabs post what they hold, as a browser does: left out, a save would empty them.
        "stem_hi": (question.stem_hi or "") if question else "",
        "explanation_hi": (question.explanation_hi or "") if question else "",
        "_save": "Save",
    }
    # Admin has a field per language: `stem` and `explanation` are the English ones.
    data.update({f"{name}_en" if name in ("stem", "explanation") else name: value for name, value in fields.items()})
    if choices is None:
        choices = [(c, c.text, c.is_correct, c.position) for c in question.choices.order_by("position")]
    initial = sum(1 for c in choices if len(c) == 4)
    data.update(
        {
            "choices-TOTAL_FORMS": len(choices),
            "choices-INITIAL_FORMS": initial,
            "choices-MIN_NUM_FORMS": 0,
            "choices-MAX_NUM_FORMS": 6,
            # The giveaway groups inline, left as it is.
            "GiveawayGroup_questions-TOTAL_FORMS": 0,
            "GiveawayGroup_questions-INITIAL_FORMS": 0,
        }
    )
    for i, entry in enumerate(choices):
        if len(entry) == 4:
            choice, text, correct, position = entry
            data[f"choices-{i}-id"] = choice.pk
            data[f"choices-{i}-question"] = question.pk
            data[f"choices-{i}-position"] = position
            data[f"choices-{i}-text_hi"] = choice.text_hi or ""
        else:
            text, correct = entry
            data[f"choices-{i}-position"] = ""
        data[f"choices-{i}-text_en"] = text
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    return data


def run_action(client, action, questions, **extra):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [q.pk for q in questions], "index": 0, **extra}
    )


@pytest.fixture
def source():
    return SourceFactory(slug="india-us")


@pytest.fixture
def topic():
    return TopicFactory(name="Foundational agreements", slug="agreements")


def answered(question, *picks):
    """Learners answer `question` (in a one-question quiz): one learner per pick, a position."""
    from tests.helpers import T0

    quiz = QuizFactory(with_questions=[question])
    for pick in picks:
        attempt = start(UserFactory(), quiz)
        response = show(attempt, T0)
        choice = question.choices.get(position=pick)
        submit(attempt, response.position, "answer", choice.pk, T0)
    return quiz


# --- who may come in -------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["learner", "teacher"])
def test_learners_and_teachers_are_sent_to_the_admin_login(client, request, person):
    client.force_login(request.getfixturevalue(person))

    for url in (reverse("admin:index"), CHANGELIST, reverse("admin:quiz_quiz_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_editors_have_exactly_the_curation_permissions(editor):
    codenames = set(Group.objects.get(name="Question editors").permissions.values_list("content_type__app_label", "codename"))

    models = {
        "questions": ["source", "passage", "topic", "question", "choice", "giveawaygroup"],
        "quiz": ["quiz", "quizquestion"],
    }
    assert codenames == {
        (app, f"{action}_{model}")
        for app, names in models.items()
        for model in names
        for action in ("add", "change", "delete", "view")
    } | {("daily", "view_problemreport"), ("daily", "change_problemreport")}
    assert not editor.has_perm("auth.view_user")
    assert not editor.has_perm("quiz.view_attempt")
    assert not editor.has_perm("quiz.change_response")


def test_editors_cannot_open_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


# --- the question list ---------------------------------------------------------------------------


def test_question_list_shows_excerpt_topic_source_and_answer_statistics(editor_client, source, topic):
    question = QuestionFactory(source=source, passage=None, topic=topic, stem="Which agreement\ncame first?")
    QuestionFactory(source=source, passage=None, topic=topic, stem="Never answered?")
    answered(question, 0, 0, 0, 1)  # three right, one wrong

    response = editor_client.get(CHANGELIST)

    html = page(response)
    assert "Which agreement came first?" in html
    assert "Foundational agreements" in html
    assert str(source) in html
    rows = {r.stem: (r.times_answered, r.times_correct) for r in response.context["cl"].result_list}
    assert rows == {"Which agreement\ncame first?": (4, 3), "Never answered?": (0, 0)}
    assert '<td class="field-percent_correct">75%</td>' in html
    assert '<td class="field-percent_correct">—</td>' in html


def test_question_list_searches_stems_options_and_explanations_and_filters(editor_client, topic):
    by_option = QuestionFactory(topic=topic, choices=[("Industrial Security Annex", True), ("x", False)])
    by_explanation = QuestionFactory(topic=topic, explanation="Signed at the Pentagon.")
    draft = QuestionFactory(topic=topic, status="draft", stem="A draft about BECA?")
    hard = QuestionFactory(difficulty="hard")  # in a topic of its own

    def listed(**params):
        return {q.pk for q in editor_client.get(CHANGELIST, params).context["cl"].result_list}

    assert listed(q="security annex") == {by_option.pk}
    assert listed(q="pentagon") == {by_explanation.pk}
    assert listed(q="about BECA") == {draft.pk}
    # The sidebar offers the four filters (a URL may filter on a field the sidebar lacks).
    filters = editor_client.get(CHANGELIST).context["cl"].filter_specs
    assert [spec.title for spec in filters] == ["topic", "difficulty", "status", "source", "passage gets the key wrong", "Hindi"]
    assert listed(topic__id__exact=hard.topic_id) == {hard.pk}
    assert listed(difficulty__exact="hard") == {hard.pk}
    assert listed(status__exact="draft") == {draft.pk}
    assert listed(source__id__exact=by_option.source_id) == {by_option.pk}


def test_question_list_runs_the_same_queries_for_5_and_50_questions(editor_client, django_assert_num_queries):
    for question in QuestionFactory.create_batch(5):
        answered(question, 0)
    editor_client.get(CHANGELIST)  # warm the content type cache

    with CaptureQueriesContext(connection) as five:
        response = editor_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 5

    QuestionFactory.create_batch(45)
    with django_assert_num_queries(len(five.captured_queries)):
        response = editor_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 50


def query_plan(sql: str, params) -> str:
    """How the database would run this query: SQLite's plan, or PostgreSQL's with table scans
    priced out (on a test's few rows its planner would scan them either way)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_question_list_counts_answers_from_an_index_never_the_responses_table(editor_client):
    """With 200,000 responses the list took 440 ms reading every response row; counting from
    the (question, outcome) index alone it takes 60 ms (docs/benchmarks.md)."""
    for question in QuestionFactory.create_batch(3):
        answered(question, 0, 1)
    response = editor_client.get(CHANGELIST)
    queryset = response.context["cl"].result_list
    assert {q.times_answered for q in queryset} == {2}

    plan = query_plan(*queryset.query.sql_with_params())

    response_lines = [line for line in plan.splitlines() if "quiz_response" in line or "response_" in line]
    assert response_lines, plan
    if connection.vendor == "sqlite":
        assert all("COVERING INDEX response_question_outcome" in line for line in response_lines), plan
    else:
        assert "Index Only Scan using response_question_outcome" in plan, plan
        assert "Seq Scan on quiz_response" not in plan, plan


def test_stems_are_shown_escaped_never_run_as_html(editor_client, topic):
    question = QuestionFactory(topic=topic, stem="<script>alert(1)</script> Which year?")

    html = page(editor_client.get(CHANGELIST)) + page(editor_client.get(change_url(question)))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Which year?" in html


# --- adding and changing ---------------------------------------------------------------------------


def test_an_editor_adds_a_question_with_four_options(editor_client, source, topic):
    passage = PassageFactory(source=source, position=51)
    data = question_data(
        choices=[("1 only", False), ("2 only", False), ("Both 1 and 2", True), ("Neither 1 nor 2", False)],
        source=source.pk,
        passage=passage.pk,
        topic=topic.pk,
        style="statements",
        status="published",
        stem="Consider the following statements about GSOMIA:\n1. Signed in 2002.\n2. Shares classified information.",
        explanation="Both are correct (paragraph 51).",
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.status, question.style, question.passage, question.topic) == ("published", "statements", passage, topic)
    assert list(question.choices.values_list("position", "text", "is_correct")) == [
        (0, "1 only", False), (1, "2 only", False), (2, "Both 1 and 2", True), (3, "Neither 1 nor 2", False)
    ]
    assert LogEntry.objects.get(object_id=str(question.pk)).is_addition()


@pytest.mark.parametrize(
    "choices, style, message",
    [
        ([("a", False), ("b", False)], "direct", "Missing correct answer: mark exactly one option as correct."),
        (
            [("a", True), ("b", False), ("c", True)],
            "direct",
            "Two correct answers (A and C): mark exactly one option as correct.",
        ),
        ([("a", True)], "direct", "A question needs 2 to 6 options; this one has 1."),
        (
            [("1 only", True), ("2 only", False), ("Both", False)],
            "statements",
            "A statement-based (UPSC) question needs exactly 4 options, (a) to (d); this one has 3.",
        ),
        (
            [("a", True), ("b", False), ("c", False), ("d", False), ("e", False)],
            "pairs",
            "A pair-matching (UPSC) question needs exactly 4 options, (a) to (d); this one has 5.",
        ),
    ],
)
def test_option_rules_say_exactly_what_is_wrong(editor_client, source, topic, choices, style, message):
    data = question_data(choices=choices, source=source.pk, topic=topic.pk, style=style, stem="Which?")

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    assert escape(message) in page(response)
    assert not Question.objects.exists()


def test_publishing_needs_an_explanation(editor_client, source, topic):
    data = question_data(
        choices=[("a", True), ("b", False)], source=source.pk, topic=topic.pk, stem="Which?", status="published"
    )

    response = editor_client.post(ADD, data)

    assert escape("Add an explanation before publishing: learners read it after they answer.") in page(response)
    assert not Question.objects.exists()
    assert editor_client.post(ADD, {**data, "status": "draft"}).status_code == 302
    assert Question.objects.get().status == "draft"


def test_a_second_question_with_the_same_normalised_stem_in_one_source_is_refused(editor_client, source, topic):
    first = QuestionFactory(source=source, passage=None, topic=topic, stem="What is COMCASA?")
    data = question_data(choices=[("a", True), ("b", False)], source=source.pk, topic=topic.pk, stem="what is  comcasa")

    response = editor_client.post(ADD, data)

    assert escape(
        f"This source already has a question with the same stem (#{first.pk}): edit that one, or word this one differently."
    ) in page(response)
    assert Question.objects.count() == 1
    other_source = SourceFactory()
    assert editor_client.post(ADD, {**data, "source": other_source.pk}).status_code == 302
    assert Question.objects.count() == 2


def test_a_passage_must_come_from_the_question_source(editor_client, source, topic):
    elsewhere = PassageFactory()
    data = question_data(
        choices=[("a", True), ("b", False)], source=source.pk, passage=elsewhere.pk, topic=topic.pk, stem="Which?"
    )

    response = editor_client.post(ADD, data)

    assert escape(f"This passage is from another source: choose one of “{source}”.") in page(response)
    assert not Question.objects.exists()


def test_an_editor_changes_the_stem_and_moves_the_right_answer(editor_client, topic):
    question = QuestionFactory(topic=topic)
    a, b, c, d = question.choices.order_by("position")
    data = question_data(
        question,
        stem="Which agreement was signed in 2002?",
        choices=[(a, a.text, False, 0), (b, "GSOMIA", True, 1), (c, c.text, False, 2), (d, d.text, False, 3)],
    )

    response = editor_client.post(change_url(question), data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.stem == "Which agreement was signed in 2002?"
    assert list(question.choices.order_by("position").values_list("text", "is_correct")) == [
        (a.text, False), ("GSOMIA", True), (c.text, False), (d.text, False)
    ]
    assert not LogEntry.objects.filter(change_message__contains="regraded").exists()


def test_an_editor_swaps_two_options_and_adds_a_fifth(editor_client, topic):
    question = QuestionFactory(topic=topic)
    a, b, c, d = question.choices.order_by("position")
    choices = [(a, a.text, True, 1), (b, b.text, False, 0), (c, c.text, False, 2), (d, d.text, False, 3)]

    response = editor_client.post(change_url(question), question_data(question, choices=[*choices, ("A fifth", False)]))

    assert response.status_code == 302
    assert list(question.choices.order_by("position").values_list("text", "position")) == [
        (b.text, 0), (a.text, 1), (c.text, 2), (d.text, 3), ("A fifth", 4)
    ]


def test_options_of_an_answered_question_cannot_be_removed(editor_client, topic):
    question = QuestionFactory(topic=topic)
    answered(question, 1)
    data = question_data(question)
    data["choices-3-DELETE"] = "on"

    response = editor_client.post(change_url(question), data)

    assert escape("Learners have answered this question, so its options cannot be removed") in page(response)
    assert question.choices.count() == 4


# --- deleting --------------------------------------------------------------------------------------


def test_an_answered_question_cannot_be_deleted_archive_it_instead(editor_client, topic):
    question = QuestionFactory(topic=topic, stem="Answered?")
    answered(question, 0)

    response = editor_client.post(reverse("admin:questions_question_delete", args=[question.pk]), {"post": "yes"}, follow=True)

    assert escape("“Answered?” cannot be deleted: learners have answered it, and their past reviews show it. Archive it instead.") in page(response)
    assert Question.objects.filter(pk=question.pk).exists()


def test_an_unanswered_question_can_be_deleted(editor_client, topic):
    question = QuestionFactory(topic=topic)

    response = editor_client.post(reverse("admin:questions_question_delete", args=[question.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Choice.objects.filter(question_id=question.pk).exists()


def test_bulk_delete_deletes_nothing_when_any_selected_question_was_answered(editor_client, topic):
    fresh, used = QuestionFactory(topic=topic), QuestionFactory(topic=topic)
    answered(used, 0)

    response = run_action(editor_client, "delete_selected", [fresh, used], post="yes")
    assert response.status_code == 302

    assert escape(
        f"Nothing was deleted: learners have answered 1 of the selected questions (#{used.pk}). Archive them instead."
    ) in page(editor_client.get(CHANGELIST))
    assert Question.objects.count() == 2
    run_action(editor_client, "delete_selected", [fresh], post="yes")
    assert list(Question.objects.all()) == [used]


# --- bulk actions ----------------------------------------------------------------------------------


def test_bulk_publish_publishes_the_ready_and_says_why_others_wait(editor_client, topic):
    ready = QuestionFactory(topic=topic, status="draft")
    bare = QuestionFactory(topic=topic, status="draft", explanation="", stem="No explanation yet?")

    run_action(editor_client, "publish", [ready, bare])

    ready.refresh_from_db()
    bare.refresh_from_db()
    assert (ready.status, bare.status) == ("published", "draft")
    html = page(editor_client.get(CHANGELIST))
    assert "Published: 1 question." in html
    assert escape(
        f"Not published: #{bare.pk} “No explanation yet?”. Add an explanation before publishing: learners read it after they answer."
    ) in html


@pytest.mark.parametrize(
    "action, status, logged", [("unpublish", "draft", "Unpublished"), ("archive", "archived", "Archived")]
)
def test_bulk_unpublish_and_archive(editor_client, topic, action, status, logged):
    questions = QuestionFactory.create_batch(2, topic=topic)
    untouched = QuestionFactory(topic=topic)

    run_action(editor_client, action, questions)

    assert set(Question.objects.filter(status=status).values_list("pk", flat=True)) == {q.pk for q in questions}
    untouched.refresh_from_db()
    assert untouched.status == "published"
    assert LogEntry.objects.filter(object_id=str(questions[0].pk), change_message=f"{logged} (bulk action).").exists()


def test_move_to_topic_asks_which_topic_then_moves(editor_client, topic):
    questions = QuestionFactory.create_batch(2, topic=topic)
    target = TopicFactory(name="The 2+2 dialogue", slug="dialogue")

    ask = run_action(editor_client, "move_to_topic", questions)

    assert ask.status_code == 200
    assert "These 2 questions will move to the topic you choose" in page(ask)
    assert set(Question.objects.values_list("topic", flat=True)) == {topic.pk}

    done = editor_client.post(
        CHANGELIST,
        {"action": "move_to_topic", "_selected_action": [q.pk for q in questions], "topic": target.pk, "apply": "Move questions"},
    )

    assert done.status_code == 302
    assert set(Question.objects.values_list("topic", flat=True)) == {target.pk}


def test_move_to_topic_moves_a_whole_filtered_list_selected_across_its_pages(editor_client, topic, source):
    """An editor filters 1,100 questions by topic, ticks "select all 1,100", and moves them.
    Django refuses a form of more than 1,000 fields, so the confirmation cannot post back
    one field per question."""
    Question.objects.bulk_create(
        Question(source=source, topic=topic, stem=f"Question {i}?", stem_key=f"{i:064}", explanation="Why.")
        for i in range(1100)
    )
    elsewhere = QuestionFactory()
    target = TopicFactory(name="The 2+2 dialogue", slug="dialogue")
    url = f"{CHANGELIST}?topic__id__exact={topic.pk}"
    on_first_page = [q.pk for q in editor_client.get(url).context["cl"].result_list]

    ask = editor_client.post(
        url, {"action": "move_to_topic", "_selected_action": on_first_page, "select_across": "1", "index": 0}
    )

    assert "These 1100 questions will move to the topic you choose" in page(ask)
    assert "… and 1000 more." in page(ask)
    form = page(ask)[page(ask).index('<form method="post">') :]
    sent_back = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    data = {}
    for name, value in sent_back:
        data.setdefault(name, []).append(value)
    done = editor_client.post(url, {**data, "topic": target.pk, "apply": "Move questions"})

    assert done.status_code == 302
    assert Question.objects.filter(topic=target).count() == 1100
    elsewhere.refresh_from_db()
    assert elsewhere.topic != target


def test_build_quiz_makes_a_draft_fixed_quiz_in_the_listed_order(editor_client, topic):
    questions = QuestionFactory.create_batch(3, topic=topic)

    response = run_action(editor_client, "build_quiz", [questions[2], questions[0]])

    quiz = Quiz.objects.get()
    assert response["Location"] == reverse("admin:quiz_quiz_change", args=[quiz.pk])
    assert (quiz.is_published, quiz.selection, quiz.title) == (False, "fixed", "Draft quiz: 2 questions")
    assert list(quiz.quiz_questions.order_by("position").values_list("question_id", flat=True)) == [
        questions[0].pk, questions[2].pk
    ]


def test_build_quiz_from_questions_deleted_since_the_list_was_shown_builds_nothing(editor_client, topic):
    questions = QuestionFactory.create_batch(2, topic=topic)
    Question.objects.filter(pk__in=[q.pk for q in questions]).delete()  # another editor, meanwhile

    response = run_action(editor_client, "build_quiz", questions)

    assert response.status_code == 302
    shown = [str(m) for m in editor_client.get(response["Location"]).context["messages"]]
    assert "None of the selected questions exists any more: no quiz was built." in shown
    assert not Quiz.objects.exists()


# --- sources, topics and quizzes ---------------------------------------------------------------------


def test_an_editor_adds_a_source_with_its_passages(editor_client):
    response = editor_client.post(
        reverse("admin:questions_source_add"),
        {
            "title_en": "BECA explained",
            "slug": "beca-explained",
            "publisher": "",
            "url": "",
            "published_on": "",
            "passages-TOTAL_FORMS": 2,
            "passages-INITIAL_FORMS": 0,
            "passages-MIN_NUM_FORMS": 0,
            "passages-MAX_NUM_FORMS": 1000,
            "passages-0-position": 1,
            "passages-0-heading_en": "Introduction",
            "passages-0-text_en": "BECA was signed in 2020.",
            "passages-1-position": 2,
            "passages-1-heading_en": "",
            "passages-1-text_en": "It completes the four agreements.",
        },
    )

    assert response.status_code == 302
    source = Source.objects.get(slug="beca-explained")
    assert list(source.passages.values_list("position", "text")) == [
        (1, "BECA was signed in 2020."), (2, "It completes the four agreements.")
    ]
    assert "BECA explained" in page(editor_client.get(reverse("admin:questions_source_changelist")))


def test_an_editor_adds_a_topic(editor_client):
    response = editor_client.post(reverse("admin:questions_topic_add"), {"name_en": "Export controls", "slug": "export-controls"})

    assert response.status_code == 302
    assert Topic.objects.filter(slug="export-controls").exists()


def test_an_editor_sets_up_a_quiz_with_its_questions_in_order(editor_client, topic):
    first, second = QuestionFactory.create_batch(2, topic=topic)
    response = editor_client.post(
        reverse("admin:quiz_quiz_add"),
        {
            "title_en": "Agreements drill",
            "slug": "agreements-drill",
            "description_en": "",
            "is_published": "on",
            "publish_at_0": "2026-11-25",
            "publish_at_1": "20:00:00",
            "selection": "fixed",
            "draw_count": "",
            "draw_topic": "",
            "draw_source": "",
            "timing": "question",
            "seconds_per_question": 19,
            "marks_correct": "2",
            "marks_wrong": "0.66",
            "feedback": "end",
            "shuffle_options": "on",
            "quiz_questions-TOTAL_FORMS": 2,
            "quiz_questions-INITIAL_FORMS": 0,
            "quiz_questions-MIN_NUM_FORMS": 0,
            "quiz_questions-MAX_NUM_FORMS": 1000,
            "quiz_questions-0-position": 0,
            "quiz_questions-0-question": second.pk,
            "quiz_questions-1-position": 1,
            "quiz_questions-1-question": first.pk,
        },
    )

    assert response.status_code == 302
    quiz = Quiz.objects.get(slug="agreements-drill")
    assert (quiz.is_published, quiz.feedback, quiz.seconds_per_question, quiz.shuffle_questions, quiz.shuffle_options) == (
        True, "end", 19, False, True
    )
    assert list(quiz.quiz_questions.order_by("position").values_list("question_id", flat=True)) == [second.pk, first.pk]
    listing = page(editor_client.get(reverse("admin:quiz_quiz_changelist")))
    assert "Agreements drill" in listing
    assert "+2.00 / −0.66" in listing
    assert editor_client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).status_code == 200


def quiz_form(title, slug, **fields):
    return {
        "title_en": title, "slug": slug, "description_en": "", "is_published": "on",
        "publish_at_0": "2026-11-25", "publish_at_1": "20:00:00", "selection": "fixed",
        "draw_count": "", "draw_topic": "", "draw_source": "", "timing": "question",
        "seconds_per_question": 30, "marks_correct": "2", "marks_wrong": "0.66", "feedback": "each",
        "quiz_questions-TOTAL_FORMS": 0, "quiz_questions-INITIAL_FORMS": 0,
        "quiz_questions-MIN_NUM_FORMS": 0, "quiz_questions-MAX_NUM_FORMS": 1000, **fields,
    }


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("daily-drill", ("question", 19, "each")),
        ("upsc-prelims", ("paper", 72, "end")),
        ("", ("question", 30, "each")),  # no preset: the fields as sent
    ],
)
def test_an_editor_picks_a_preset_that_sets_timing_seconds_and_feedback(editor_client, preset, expected):
    assert "UPSC prelims pace" in page(editor_client.get(reverse("admin:quiz_quiz_add")))
    response = editor_client.post(reverse("admin:quiz_quiz_add"), quiz_form("Mock 1", "mock-1", preset=preset))
    assert response.status_code == 302
    quiz = Quiz.objects.get(slug="mock-1")
    assert (quiz.timing, quiz.seconds_per_question, quiz.feedback) == expected


def test_a_preset_that_is_not_offered_is_refused_and_nothing_saved(editor_client):
    response = editor_client.post(reverse("admin:quiz_quiz_add"), quiz_form("Mock 1", "mock-1", preset="exam-cram"))
    assert response.status_code == 200 and "Select a valid choice" in page(response)
    assert not Quiz.objects.filter(slug="mock-1").exists()


def quiz_page_queries(client, size):
    quiz = QuizFactory(with_questions=size)
    url = reverse("admin:quiz_quiz_change", args=[quiz.pk])
    client.get(url)  # warm the content type cache
    with CaptureQueriesContext(connection) as captured:
        html = page(client.get(url))
    for question in quiz.questions.all():  # each row shows its question, chosen
        assert f'<option value="{question.pk}" selected>{escape(question)}</option>' in html
    return len(captured)


def test_a_quiz_opens_in_admin_in_as_many_queries_with_50_questions_as_with_5(editor_client):
    """Each question row's autocomplete used to look its own question up: 12 queries for 5
    questions, 57 for 50."""
    assert quiz_page_queries(editor_client, 5) == quiz_page_queries(editor_client, 50)


def test_staff_who_may_only_view_questions_cannot_add_or_import(client, topic):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(viewer)

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(reverse("admin:questions_question_import")).status_code == 403
    assert client.get(reverse("admin:questions_question_import_text")).status_code == 403
    assert client.get(ADD).status_code == 403


# --- what the admin's pages say to people and to assistive technology -------------------------


def test_each_option_input_on_the_question_page_is_named_after_its_option(editor_client):
    question = QuestionFactory()
    html = page(editor_client.get(change_url(question)))
    for n in range(4):
        assert f'aria-label="Text of option {n + 1}"' in re.search(rf'<textarea name="choices-{n}-text_en"[^>]*>', html).group(0)
        assert f'aria-label="Position of option {n + 1}"' in re.search(rf'<input [^>]*name="choices-{n}-position"[^>]*>', html).group(0)
        assert f'aria-label="Option {n + 1} is correct"' in re.search(rf'<input [^>]*name="choices-{n}-is_correct"[^>]*>', html).group(0)
    assert 'aria-label="Delete option 1"' in html
    # The empty row the "Add another option" button copies.
    assert 'aria-label="Text of new option"' in html


def test_the_admin_says_pariksha_and_links_the_site_s_icon(editor_client):
    for url in ("/admin/", CHANGELIST, reverse("admin:questions_question_import"), change_url(QuestionFactory())):
        html = page(editor_client.get(url))
        assert "Django" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1), url
        assert '<a href="/admin/">Pariksha administration</a>' in html and "Django administration" not in html, url
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html, url


def test_favicon_ico_leads_to_the_site_s_icon(client):
    response = client.get("/favicon.ico", secure=True)
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")
