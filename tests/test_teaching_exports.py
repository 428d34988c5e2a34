"""Report contents and their exports: the whole CSV as text, the XLSX cells, item analysis on
the hand-worked example, formula injection, and the export_report command."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from quiz.models import Response, TimeAllowance
from tests.factories import QuestionFactory, TopicFactory, UserFactory
from tests.helpers import T0
from tests.test_teaching_support import make_class, make_quiz, take

pytestmark = pytest.mark.django_db
# The matrix page: session, user, class, assignment, questions, learners (count and page),
# their responses; as before responses carried their language.
MATRIX_PAGE_QUERIES = 9


@pytest.fixture
def small_class(teacher):
    """Four learners: asha all right; kiran (a Devanagari name, with 1.5× time) two wrong and
    a time-out; ravi twice, first 1.34 then 6; zara never."""
    asha = UserFactory(username="asha")
    kiran = UserFactory(username="kiran", first_name="किरण")
    TimeAllowance.objects.create(user=kiran, factor=Decimal("1.5"))
    ravi = UserFactory(username="ravi")
    zara = UserFactory(username="zara", first_name="Zara", last_name="Khan")
    # A topic per question, so the weakest topic reads the same on every run.
    quiz = make_quiz(3, questions=[QuestionFactory(topic=TopicFactory(name=name)) for name in ("Polity", "Economy", "Geography")])
    classroom, assignment = make_class(teacher, quiz, [asha, kiran, ravi, zara])
    take(asha, quiz, ["A", "A", "A"])
    take(kiran, quiz, ["B", "B", "timeout"])
    take(ravi, quiz, ["A", "B", "skip"])
    take(ravi, quiz, ["A", "A", "A"], start=T0 + timedelta(hours=1))
    return classroom, quiz


def export_url(classroom, quiz, kind, fmt):
    return reverse("teaching:export", args=[classroom.pk, quiz.slug, kind, fmt])


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def workbook_rows(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


SCORES_CSV = (
    "\ufeffLearner,Username,Status,First score,Best score,Correct,Wrong,Unanswered,Marks lost,"
    "Time taken (s),Submitted (IST),Attempts,Time factor,Weakest topic,Guesses (share of answers),Guesses paid\r\n"
    "asha,asha,Submitted,6,6,3,0,0,0,16,2026-11-25 20:00,1,1×,Economy,0,\r\n"
    "किरण,kiran,Submitted,-1.32,-1.32,0,2,1,1.32,41,2026-11-25 20:00,1,1.5×,Economy,0,\r\n"
    "ravi,ravi,Submitted,1.34,6,1,1,1,0.66,16,2026-11-25 20:00,2,1×,Economy,0,\r\n"
    "Zara Khan,zara,Not yet attempted,,,,,,,,,0,,,,\r\n"
)


def test_scores_csv_is_exactly_the_class_in_utf8_with_a_bom(client, teacher, small_class):
    classroom, quiz = small_class
    client.force_login(teacher)
    response = client.get(export_url(classroom, quiz, "scores", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ABC234-polity-weekly-scores.csv"'
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8") == SCORES_CSV


def test_matrix_csv_is_exactly_each_learners_first_attempt_by_question(client, teacher, small_class):
    classroom, quiz = small_class
    client.force_login(teacher)
    assert download(client, export_url(classroom, quiz, "matrix", "csv")).decode("utf-8") == (
        "\ufeffLearner,Username,Status,First score,Q1,Q2,Q3\r\n"
        "asha,asha,Submitted,6,Right 4.0 s,Right 4.0 s,Right 4.0 s\r\n"
        "किरण,kiran,Submitted,-1.32,Wrong 4.0 s,Wrong 4.0 s,Timed out\r\n"
        "ravi,ravi,Submitted,1.34,Right 4.0 s,Wrong 4.0 s,Skipped 4.0 s\r\n"
        "Zara Khan,zara,Not yet attempted,,,,\r\n"
    )


def test_the_matrix_page_is_paged_but_its_exports_hold_every_learner(client, teacher, small_class, monkeypatch):
    from teaching import views

    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 2)
    classroom, quiz = small_class
    client.force_login(teacher)
    page = client.get(reverse("teaching:matrix", args=[classroom.pk, quiz.slug])).content.decode()
    assert page.count("data-learner=") == 2 and "Learners 1–2 of 4" in page
    csv_text = download(client, export_url(classroom, quiz, "matrix", "csv")).decode("utf-8-sig")
    assert [line.split(",")[1] for line in csv_text.splitlines()[1:]] == ["asha", "kiran", "ravi", "zara"]
    _, rows = workbook_rows(download(client, export_url(classroom, quiz, "matrix", "xlsx")))
    assert [row[1] for row in rows[1:]] == ["asha", "kiran", "ravi", "zara"]


def test_scores_xlsx_holds_numbers_as_numbers_and_times_in_ist(client, teacher, small_class):
    classroom, quiz = small_class
    client.force_login(teacher)
    response = client.get(export_url(classroom, quiz, "scores", "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "ABC234-polity-weekly-scores.xlsx" in response["Content-Disposition"]
    sheet, rows = workbook_rows(b"".join(response.streaming_content))
    assert sheet.title == "Scores"
    assert rows[0] == [
        "Learner", "Username", "Status", "First score", "Best score", "Correct", "Wrong",
        "Unanswered", "Marks lost", "Time taken (s)", "Submitted (IST)", "Attempts", "Time factor",
        "Weakest topic", "Guesses (share of answers)", "Guesses paid",
    ]
    assert rows[1] == ["asha", "asha", "Submitted", 6, 6, 3, 0, 0, 0, 16, datetime(2026, 11, 25, 20, 0, 16), 1, "1×", "Economy", 0, None]
    assert rows[2][:5] == ["किरण", "kiran", "Submitted", -1.32, -1.32]
    assert rows[2][8:10] == [1.32, 41]  # the time-out ran its 1.5× clock: 29 s, not 19
    assert rows[3][3:5] == [1.34, 6]
    assert rows[3][11] == 2
    assert rows[2][12] == "1.5×"
    assert rows[4] == ["Zara Khan", "zara", "Not yet attempted", None, None, None, None, None, None, None, None, 0, None, None, None, None]
    assert sheet["D3"].data_type == "n" and sheet["K2"].is_date


def test_matrix_and_items_xlsx_have_the_pages_columns(client, teacher, small_class):
    classroom, quiz = small_class
    client.force_login(teacher)
    _, matrix = workbook_rows(download(client, export_url(classroom, quiz, "matrix", "xlsx")))
    assert matrix[0] == ["Learner", "Username", "Status", "First score", "Q1", "Q2", "Q3"]
    assert matrix[2] == ["किरण", "kiran", "Submitted", -1.32, "Wrong 4.0 s", "Wrong 4.0 s", "Timed out"]
    _, items = workbook_rows(download(client, export_url(classroom, quiz, "items", "xlsx")))
    page = client.get(reverse("teaching:items", args=[classroom.pk, quiz.slug])).content.decode()
    for column in items[0]:
        assert f'<th scope="col">{column}</th>' in page
    assert [row[0] for row in items[1:]] == ["Q1", "Q2", "Q3"]


@pytest.fixture
def worked_example(teacher):
    """The hand-worked example of tests/test_teaching_stats.py, taken through the quiz:
    L1 answers in 4 s, L2 in 6 s, L3 in 8 s, L4 in 10 s."""
    stems = ["Which body conducts the prelims?", "Which article sets up the EC?", "Who appoints the CAG?"]
    quiz = make_quiz(questions=[QuestionFactory(stem=stem) for stem in stems])
    learners = [UserFactory(username=f"l{i}") for i in range(1, 5)]
    classroom, _ = make_class(teacher, quiz, learners)
    take(learners[0], quiz, ["A", "A", "A"], seconds=4)
    take(learners[1], quiz, ["A", "B", "A"], seconds=6)
    take(learners[2], quiz, ["A", "skip", "B"], seconds=8)
    take(learners[3], quiz, ["B", "timeout", "C"], seconds=10)
    # A second attempt never counts in item analysis: it is on first attempts.
    take(learners[3], quiz, ["A", "A", "A"], start=T0 + timedelta(days=1))
    return classroom, quiz


def test_items_csv_matches_the_hand_worked_figures(client, teacher, worked_example):
    classroom, quiz = worked_example
    client.force_login(teacher)
    assert download(client, export_url(classroom, quiz, "items", "csv")).decode("utf-8") == (
        "\ufeffQuestion,Text,Key,First attempts,Facility,Discrimination,Timeout rate,"
        "Mean time to answer (s),A,B,C,D,Flags\r\n"
        "Q1,Which body conducts the prelims?,A,4,0.67,0.5,0,7,3,1,0,0,\r\n"
        "Q2,Which article sets up the EC?,A,4,0.17,0.3,0.25,5,1,1,0,0,Very hard\r\n"
        "Q3,Who appoints the CAG?,A,4,0.34,0.6,0,7,2,1,1,0,\r\n"
    )


def test_item_analysis_page_shows_the_hand_worked_figures_and_flags(client, teacher, worked_example):
    classroom, quiz = worked_example
    client.force_login(teacher)
    page = client.get(reverse("teaching:items", args=[classroom.pk, quiz.slug])).content.decode()
    assert '<td class="num" data-facility>0.67</td>' in page
    assert '<td class="num" data-discrimination>0.50</td>' in page
    assert '<td class="num" data-discrimination>0.30</td>' in page
    assert '<td class="num" data-timeout-rate>0.25</td>' in page
    assert '<td class="num" data-mean-time>5.0</td>' in page
    assert '<strong data-flagged>1</strong> question flagged' in page
    assert '<td data-flags><span class="flag">Very hard</span></td>' in page


def test_item_times_keep_fractions_of_a_second_and_stop_at_the_question_clock(client, teacher):
    # asha answers Q1 in 4.3 s; ravi in 19.5 s, within the network grace after the 19 s
    # clock, which counts as 19 s. Skips and time-outs have no time to answer.
    quiz = make_quiz(2)
    asha, ravi, uday = (UserFactory(username=name) for name in ("asha", "ravi", "uday"))
    classroom, _ = make_class(teacher, quiz, [asha, ravi, uday])
    take(asha, quiz, ["A", "skip"], seconds=[4.3, 3])
    take(ravi, quiz, ["B", "timeout"], seconds=[19.5, 0])
    take(uday, quiz, ["skip", "timeout"])
    client.force_login(teacher)
    text = download(client, export_url(classroom, quiz, "items", "csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    # First attempts, facility, discrimination (none: the rest of the quiz scored 0 for all),
    # timeout rate, mean time to answer: (4.3 + 19) / 2 = 11.65, rounded half up.
    assert rows[1][3:8] == ["3", "0.22", "", "0", "11.7"]
    assert rows[2][3:8] == ["3", "0", "", "0.67", ""]
    matrix = download(client, export_url(classroom, quiz, "matrix", "csv")).decode("utf-8-sig")
    assert "ravi,ravi,Submitted,-0.66,Wrong 19.0 s,Timed out\r\n" in matrix
    assert "asha,asha,Submitted,2,Right 4.3 s,Skipped 3.0 s\r\n" in matrix


def test_an_answer_without_the_time_it_was_shown_has_no_time_to_answer(client, teacher):
    from quiz.models import Response

    quiz = make_quiz(1)
    asha, ravi = UserFactory(username="asha"), UserFactory(username="ravi")
    classroom, _ = make_class(teacher, quiz, [asha, ravi])
    take(asha, quiz, ["A"], seconds=5)
    take(ravi, quiz, ["A"], seconds=9)
    Response.objects.filter(attempt__user=ravi).update(shown_at=None)
    client.force_login(teacher)
    text = download(client, export_url(classroom, quiz, "items", "csv")).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][3:8] == ["2", "1", "", "0", "5"]


def test_items_flag_weak_discrimination(client, teacher):
    # The two learners who do best on the rest of the quiz both miss Q1.
    quiz = make_quiz(3)
    learners = [UserFactory(username=f"m{i}") for i in range(4)]
    classroom, _ = make_class(teacher, quiz, learners)
    for learner, answers in zip(learners, [["B", "A", "A"], ["B", "A", "A"], ["A", "B", "B"], ["A", "B", "skip"]]):
        take(learner, quiz, answers)
    client.force_login(teacher)
    rows = download(client, export_url(classroom, quiz, "items", "csv")).decode().splitlines()
    q1 = rows[1].split(",")
    assert q1[0] == "Q1" and float(q1[5]) < 0 and q1[-1] == "Weak discrimination"


def test_formula_injection_is_neutralised_in_text_cells_only(client, teacher):
    evil = UserFactory(username="-sum", first_name='=HYPERLINK("http://evil.example","Click")')
    at = UserFactory(username="@admin", first_name="+91 98765")
    quiz = make_quiz(questions=[QuestionFactory(stem="=1+1 is what?"), QuestionFactory()])
    classroom, _ = make_class(teacher, quiz, [evil, at])
    take(evil, quiz, ["B", "skip"])  # a score of -0.66: a number, not a formula
    client.force_login(teacher)
    scores = download(client, export_url(classroom, quiz, "scores", "csv")).decode()
    # csv quotes the cell (it holds quotes); the quote inside stops Excel reading a formula.
    assert '\r\n"\'=HYPERLINK(""http://evil.example"",""Click"")",\'-sum,Submitted,-0.66,-0.66,0,1,1,0.66,' in scores
    assert "\r\n'+91 98765,'@admin,Not yet attempted," in scores
    items = download(client, export_url(classroom, quiz, "items", "csv")).decode()
    assert "\r\nQ1,'=1+1 is what?,A," in items

    sheet, rows = workbook_rows(download(client, export_url(classroom, quiz, "scores", "xlsx")))
    assert rows[1][:4] == ['=HYPERLINK("http://evil.example","Click")', "-sum", "Submitted", -0.66]
    assert rows[2][:4] == ["+91 98765", "@admin", "Not yet attempted", None]
    # Stored as text, never as a formula; the score stays a number.
    assert sheet["A2"].data_type == "s" and sheet["D2"].data_type == "n"


def test_export_report_command_writes_the_same_files(client, teacher, small_class, tmp_path):
    classroom, quiz = small_class
    client.force_login(teacher)
    for kind in ("scores", "items", "matrix"):
        out = tmp_path / f"{kind}.csv"
        call_command("export_report", "--class", "abc-234", "--quiz", quiz.slug, "--kind", kind, "--format", "csv", "-o", str(out))
        assert out.read_bytes() == download(client, export_url(classroom, quiz, kind, "csv"))
        out = tmp_path / f"{kind}.xlsx"
        call_command("export_report", "--class", "ABC234", "--quiz", quiz.slug, "--kind", kind, "--format", "xlsx", "-o", str(out))
        assert workbook_rows(out.read_bytes())[1] == workbook_rows(download(client, export_url(classroom, quiz, kind, "xlsx")))[1]
    assert (tmp_path / "scores.csv").read_bytes().decode("utf-8-sig") == SCORES_CSV.lstrip("\ufeff")


def test_export_report_command_refuses_a_quiz_not_assigned_to_the_class(small_class, tmp_path):
    from django.core.management.base import CommandError

    other = make_quiz(1, slug="not-assigned")
    with pytest.raises(CommandError, match="No class with code ABC234 has the quiz 'not-assigned' assigned"):
        call_command("export_report", "--class", "ABC234", "--quiz", other.slug, "--kind", "scores", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


def test_csv_export_streams_rows_from_chunked_queries(teacher, small_class, django_assert_num_queries):
    """The CSV is a generator over `.iterator()` querysets: nothing is read before the first
    line is asked for, and the whole file takes a fixed number of queries."""
    from teaching import exports
    from teaching.models import Assignment

    assignment = Assignment.objects.select_related("classroom", "quiz").get()
    lines = exports.csv_lines(exports.TABLES["matrix"](assignment))
    with django_assert_num_queries(0):
        assert next(lines) == "\ufeff"
    with django_assert_num_queries(4):  # questions, their options; then responses and learners
        rest = list(lines)
    assert len(rest) == 5


def test_scores_and_matrix_exports_read_learners_and_responses_in_chunks_never_whole(
    client, teacher, small_class, monkeypatch
):
    """A class of 1,000 on a 100-question quiz is 100,000 responses: the exports read them,
    and the learners, through .iterator() a chunk at a time. A queryset loaded whole (a plain
    loop, or list()) goes through _fetch_all, which is refused here for those two tables; with
    chunks of two rows the merged files are still exact."""
    from django.db.models.query import QuerySet

    from quiz.models import Response
    from teaching import reports
    from teaching.models import Membership

    client.force_login(teacher)
    classroom, quiz = small_class
    expected = {kind: download(client, export_url(classroom, quiz, kind, "csv")) for kind in ("scores", "matrix")}
    load_whole = QuerySet._fetch_all

    def refuse_whole_tables(queryset):
        assert queryset.model not in (Membership, Response), f"{queryset.model.__name__} rows loaded whole"
        return load_whole(queryset)

    monkeypatch.setattr(QuerySet, "_fetch_all", refuse_whole_tables)
    monkeypatch.setattr(reports, "CHUNK", 2)
    for kind, data in expected.items():
        assert download(client, export_url(classroom, quiz, kind, "csv")) == data
    assert expected["scores"].decode("utf-8") == SCORES_CSV


def test_scores_of_a_class_without_learners_export_only_the_header(client, teacher):
    quiz = make_quiz(1)
    classroom, _ = make_class(teacher, quiz, [])
    client.force_login(teacher)
    text = download(client, export_url(classroom, quiz, "scores", "csv")).decode()
    assert text.splitlines() == ["\ufeffLearner,Username,Status,First score,Best score,Correct,Wrong,Unanswered,Marks lost,Time taken (s),Submitted (IST),Attempts,Time factor,Weakest topic,Guesses (share of answers),Guesses paid"]


def test_matrix_stays_aligned_when_learners_leave_or_join_while_it_streams(teacher, small_class):
    """Between the learners' query and the responses' query, ravi leaves and aaron (who sorts
    first and has an attempt) joins. Every other learner's row still has their own answers."""
    from django.db import connection

    from teaching import reports
    from teaching.models import Assignment, Membership

    classroom, quiz = small_class
    aaron = UserFactory(username="aaron")
    take(aaron, quiz, ["B", "B", "B"])
    assignment = Assignment.objects.select_related("classroom", "quiz").get()
    seen = []

    def meanwhile(execute, sql, params, many, context):
        seen.append(sql)
        if len(seen) == 2:  # after the first of the two streamed queries, before the second
            Membership.objects.filter(learner__username="ravi").delete()
            Membership.objects.create(classroom=classroom, learner=aaron)
        return execute(sql, params, many, context)

    questions = reports.report_questions(assignment)
    with connection.execute_wrapper(meanwhile):
        rows = [row.export_cells() for row in reports.matrix_rows(assignment, questions)]
    assert len(seen) >= 2
    assert rows == [
        ["asha", "asha", "Submitted", Decimal("6"), "Right 4.0 s", "Right 4.0 s", "Right 4.0 s"],
        ["किरण", "kiran", "Submitted", Decimal("-1.32"), "Wrong 4.0 s", "Wrong 4.0 s", "Timed out"],
        ["ravi", "ravi", "Not yet attempted", None, "", "", ""],
        ["Zara Khan", "zara", "Not yet attempted", None, "", "", ""],
    ]


def test_the_matrix_page_and_exports_mark_each_answer_read_in_hindi(client, teacher, small_class, django_assert_num_queries):
    """Issue 19: "each response records the language its question was shown in; the reports
    show it". A cell read in English stays as it was; one read in Hindi says (hi), on the page
    (in the teacher's language) and in the exports (always English)."""
    classroom, quiz = small_class
    Response.objects.filter(attempt__user__username="asha", position=0).update(language="hi")
    Response.objects.filter(attempt__user__username="asha", position=1).update(language="en")
    client.force_login(teacher)
    url = reverse("teaching:matrix", args=[classroom.pk, quiz.slug])
    with django_assert_num_queries(MATRIX_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert page.count("(hi)</td>") == 1
    assert '<td class="cell outcome-correct">Right 4.0 s (hi)</td>' in page
    assert '<td class="cell outcome-correct">Right 4.0 s</td>' in page
    assert "asha,asha,Submitted,6,Right 4.0 s (hi),Right 4.0 s,Right 4.0 s\r\n" in download(
        client, export_url(classroom, quiz, "matrix", "csv")
    ).decode("utf-8-sig")
    _, rows = workbook_rows(download(client, export_url(classroom, quiz, "matrix", "xlsx")))
    assert rows[1][4:] == ["Right 4.0 s (hi)", "Right 4.0 s", "Right 4.0 s"]

    # In Hindi the page's words are Hindi, the code stays (hi); the export stays English.
    client.post(reverse("switch_language"), {"language": "hi", "next": url})
    with django_assert_num_queries(MATRIX_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "सही 4.0 s (hi)" in page and "शिक्षार्थी × प्रश्न" in page
    assert "asha,asha,Submitted,6,Right 4.0 s (hi)," in download(client, export_url(classroom, quiz, "matrix", "csv")).decode("utf-8-sig")
