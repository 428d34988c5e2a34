"""Property-based: random and malformed form data, ids, query strings, uploads and htmx headers
sent to every endpoint the learner fuzz (test_fuzz_quiz.py) does not reach: the teachers'
pages and their POSTs, joining a class, signing up and logging in, changing and resetting a
password, admin's import and export pages and its lists. No response is a 500, and a refused
request writes nothing."""

import io
import json
from datetime import datetime, timezone as dt_timezone
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questions.formats import service
from questions.formats.rows import BankImportError, QuestionRow
from questions.models import Question
from quiz.models import TIME_FACTOR_CHOICES, TimeAllowance
from teaching.models import Assignment
from tests.factories import QuestionFactory, SourceFactory, TopicFactory
from tests.test_access_matrix import every_row
from tests.test_teaching_support import make_class, make_quiz, take

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Each example of these sends a dozen requests: fewer examples keep the module under 30 s.
FUZZ_MANY_URLS = settings(FUZZ, max_examples=12)

text = st.text(max_size=40)  # NUL and every other non-surrogate character included
numberish = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str), text, st.just(""), st.just("0"), st.just("1")
)
htmx_headers = st.sampled_from(
    [{}, {"HTTP_HX_REQUEST": "true"}, {"HTTP_HX_REQUEST": "false"}, {"HTTP_HX_REQUEST": "<x>", "HTTP_HX_TARGET": "'\""}]
)
path_id = st.one_of(
    st.integers(min_value=0, max_value=10**25).map(str), st.from_regex(r"[0-9a-z%.\-]{1,12}", fullmatch=True)
)
# NUL included: PostgreSQL refuses it in text, so a join link with one is pinned on its own too
# (test_a_join_link_with_a_nul_is_404).
path_text = st.text(min_size=1, max_size=20).map(lambda s: quote(s, safe=""))
query = st.dictionaries(text, text, max_size=3)
# A datetime-local value, as browsers send it, from anywhere in the calendar: 1 January of
# year 1 included, whose first hours in India's zone come before the first instant UTC can
# hold (test_a_due_date_before_year_one_in_utc_is_refused pins that case on its own).
due_dates = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M").zfill(16)
    ),
    text,
    st.just(""),
)


def refused_wrote_nothing(response, before) -> None:
    assert response.status_code < 500
    if response.status_code >= 400:
        assert every_row() == before


# --- teachers' pages --------------------------------------------------------------------------


@pytest.fixture
def teaching(teacher, learner, other_learner):
    quiz = make_quiz(2, slug="polity-weekly")
    classroom, _ = make_class(teacher, quiz, [learner, other_learner])
    attempt = take(learner, quiz, ["A", "B"])
    make_quiz(1, slug="spare-quiz")
    return classroom, quiz, attempt


@pytest.fixture
def teacher_client(teacher):
    client = Client()
    client.force_login(teacher)
    return client


@FUZZ_MANY_URLS
@given(segment=path_id, slug=path_id, kind=path_id, params=query, headers=htmx_headers)
def test_teachers_pages_with_random_ids_and_query_strings_never_500(
    teacher_client, teaching, segment, slug, kind, params, headers
):
    classroom, quiz, attempt = teaching
    base = f"/teach/classes/{classroom.pk}/quizzes/{quiz.slug}/"
    urls = [
        "/teach/",
        f"/teach/classes/{segment}/",
        f"/teach/classes/{classroom.pk}/",
        f"/teach/classes/{segment}/quizzes/{slug}/",
        base,
        base + "items/",
        base + "matrix/",
        base + f"attempts/{segment}/",
        base + f"attempts/{attempt.pk}/",
        base + f"export/{kind}.{slug}",
        *(base + f"export/{k}.{f}" for k in ("scores", "items", "matrix") for f in ("csv", "xlsx")),
        f"/teach/quizzes/{slug}/print/",
        f"/teach/quizzes/{quiz.slug}/print/",
    ]
    before = every_row()
    for url in urls:
        response = teacher_client.get(url, params, **headers)
        assert response.status_code < 500, url
        if response.streaming:
            b"".join(response.streaming_content)  # a streamed export fails while it is sent
    assert every_row() == before


@FUZZ
@given(name=st.one_of(text, st.text(min_size=100, max_size=200)), headers=htmx_headers)
def test_creating_a_class_with_any_name_never_500(teacher_client, teaching, name, headers):
    before = every_row()
    response = teacher_client.post("/teach/classes/new/", {"name": name}, **headers)
    refused_wrote_nothing(response, before)


@FUZZ
@given(quiz=numberish, due_at=due_dates, extra=query, headers=htmx_headers)
def test_assigning_with_any_quiz_and_due_date_never_500(teacher_client, teaching, quiz, due_at, extra, headers):
    classroom, *_ = teaching
    before = every_row()
    data = {**extra, "quiz": quiz, "due_at": due_at}
    response = teacher_client.post(f"/teach/classes/{classroom.pk}/assign/", data, **headers)
    refused_wrote_nothing(response, before)


OUT_OF_RANGE = "Give a due date between the years 2000 and 2100."


@pytest.mark.parametrize(
    "due_at, shown",
    [
        ("9999-12-31T23:59", OUT_OF_RANGE),
        ("0001-01-02T00:00", OUT_OF_RANGE),
        ("1900-01-01T00:00", OUT_OF_RANGE),
        ("2028-02-29T10:00", None),  # a leap day: kept, and shown as typed, in IST
        ("2026-02-29T10:00", "Enter a valid date/time."),
    ],
)
def test_assigning_with_due_dates_at_the_ends_of_the_calendar_never_500(
    teacher_client, teaching, learner, due_at, shown
):
    classroom, *_ = teaching
    spare = make_quiz(1, slug="calendar-edge")
    before = every_row()
    response = teacher_client.post(f"/teach/classes/{classroom.pk}/assign/", {"quiz": spare.pk, "due_at": due_at})
    if shown:
        assert response.status_code == 400
        assert shown in response.content.decode()
        assert every_row() == before
        return
    assert response.status_code == 302
    kept = Assignment.objects.get(classroom=classroom, quiz=spare)
    assert kept.due_at == datetime(2028, 2, 29, 4, 30, tzinfo=dt_timezone.utc)  # 10:00 IST
    # The date that was kept is what the class page and the learner's quiz list show.
    class_page = teacher_client.get(f"/teach/classes/{classroom.pk}/").content.decode()
    assert "29 Feb 2028, 10:00 IST" in class_page
    learner_view = Client()
    learner_view.force_login(learner)
    quiz_list = learner_view.get("/").content.decode()
    assert 'data-assigned="calendar-edge"' in quiz_list and "29 Feb 2028, 10:00 IST" in quiz_list


def test_a_due_date_before_year_one_in_utc_is_refused(teacher_client, teaching, learner):
    classroom, *_ = teaching
    spare = make_quiz(1, slug="year-one")
    before = every_row()
    response = teacher_client.post(f"/teach/classes/{classroom.pk}/assign/", {"quiz": spare.pk, "due_at": "0001-01-01T00:00"})
    assert response.status_code == 400
    assert every_row() == before


@FUZZ
@given(user=path_id, slug=path_id, data=query, headers=htmx_headers)
def test_removing_and_unassigning_with_random_ids_never_500(teacher_client, teaching, user, slug, data, headers):
    classroom, *_ = teaching
    for url in (f"/teach/classes/{classroom.pk}/learners/{user}/remove/", f"/teach/classes/{classroom.pk}/quizzes/{slug}/unassign/"):
        before = every_row()
        response = teacher_client.post(url, data, **headers)
        refused_wrote_nothing(response, before)


@FUZZ
@given(
    user=st.one_of(path_id, st.just("me")),
    factor=st.one_of(numberish, st.sampled_from(["1.00", "1.25", "1.50", "2.00", "1.5", "2"])),
    extra=query,
    headers=htmx_headers,
)
def test_setting_a_learners_time_with_any_form_never_500(teacher_client, teaching, learner, user, factor, extra, headers):
    classroom, *_ = teaching
    learner_id = learner.pk if user == "me" else user
    before = every_row()
    response = teacher_client.post(
        f"/teach/classes/{classroom.pk}/learners/{learner_id}/time/", {**extra, "factor": factor}, **headers
    )
    refused_wrote_nothing(response, before)


# --- joining a class --------------------------------------------------------------------------


@FUZZ
@given(code=st.one_of(text, st.text(alphabet="ABCDEFGHJKMNPQRTUVWXY346789 -", max_size=30)), link=path_text, headers=htmx_headers)
def test_joining_with_any_code_never_500(learner_client, teaching, code, link, headers):
    before = every_row()
    assert learner_client.get(f"/classes/join/{link}/", **headers).status_code < 500
    assert learner_client.get("/classes/join/", {"code": code}, **headers).status_code < 500
    response = learner_client.post("/classes/join/", {"code": code}, **headers)
    refused_wrote_nothing(response, before)


def test_a_join_link_with_a_nul_is_404(learner_client, teaching):
    assert learner_client.get("/classes/join/%00/").status_code == 404


# --- signing up and logging in ----------------------------------------------------------------

credentials = st.fixed_dictionaries(
    # Any field may be missing, the whole form too (an empty sign-up once the address is
    # throttled is pinned on its own: test_an_empty_sign_up_after_the_limit_is_refused_not_a_500).
    {},
    optional={
        "username": st.one_of(text, st.from_regex(r"[\w.@+-]{1,150}", fullmatch=True), st.text(min_size=151, max_size=160)),
        "email": st.one_of(text, st.emails()),
        "password": text,
        "password1": st.one_of(text, st.just("correct horse battery staple")),
        "password2": st.one_of(text, st.just("correct horse battery staple")),
        "next": st.one_of(text, st.sampled_from(["//evil.example/", "https://evil.example/", "/teach/", "javascript:alert(1)"])),
    },
)


@FUZZ
@given(data=credentials, headers=htmx_headers)
def test_signing_up_with_any_form_never_500(client, db, data, headers):
    users = every_row()["auth.User"]
    response = client.post("/accounts/signup/", data, **headers)
    assert response.status_code < 500
    if response.status_code != 302:
        assert every_row()["auth.User"] == users
    client.logout()


def test_an_empty_sign_up_after_the_limit_is_refused_not_a_500(client, db, settings):
    settings.SIGNUPS_PER_ADDRESS_PER_HOUR = 1
    client.post("/accounts/signup/", {"username": "first"})
    users = every_row()["auth.User"]
    response = client.post("/accounts/signup/", {})
    assert response.status_code == 429
    assert every_row()["auth.User"] == users


@FUZZ
@given(data=credentials, headers=htmx_headers)
def test_logging_in_with_any_form_never_500_and_never_leaves_the_site(client, learner, data, headers):
    before = every_row()
    response = client.post("/accounts/login/", data, **headers)
    assert response.status_code < 500
    if response.status_code == 302:
        # Only the right password gets in, and `next` never sends anyone off the site.
        assert response["Location"].startswith("/") and not response["Location"].startswith("//")
    else:
        assert every_row() == before
    assert client.post("/accounts/password_reset/", {"email": data.get("email", "")}, **headers).status_code < 500


# --- admin: imports, exports and lists ---------------------------------------------------------


@pytest.fixture
def bank(db):
    source = SourceFactory(slug="article")
    TopicFactory(slug="agreements", name="Agreements")
    return source


CSV_HEADER = "stem,option_a,option_b,option_c,option_d,correct,explanation,topic,difficulty,passage,style"
cell = st.one_of(
    text,
    st.sampled_from(["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "'=x", "A", "B", "Z", "agreements", "²", "1" * 5000, "\x00"]),
)


def csv_file(rows):
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER.split(","))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "replace")


def xlsx_file(rows):
    book = openpyxl.Workbook()
    book.active.append(CSV_HEADER.split(","))
    for row in rows:
        # openpyxl refuses control characters in cells; a hostile file would carry them
        # escaped, which the reader's own tests cover.
        book.active.append([c if c.isprintable() else "?" for c in row])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def json_file(rows):
    header = CSV_HEADER.split(",")
    return json.dumps([dict(zip(header, row)) for row in rows]).encode()


table_rows = st.lists(st.lists(cell, min_size=0, max_size=12), max_size=4)
uploads = st.one_of(
    st.binary(max_size=200),
    table_rows.map(csv_file),
    table_rows.map(xlsx_file),
    table_rows.map(json_file),
    st.sampled_from([b"[" * 5000, b"\xff\xfeh\x00i\x00", "stem,é".encode("latin-1"), b"PK\x03\x04" + b"\x00" * 50]),
)


@FUZZ
@given(fmt=st.sampled_from(["0", "1", "2", "", "9", "x", "-1"]), content=uploads, name=st.sampled_from(["bank.csv", "bank.xlsx", "bank.json", "x", ""]), source=numberish, publish=st.booleans())
def test_admin_spreadsheet_import_of_any_file_never_500_and_previews_write_nothing(editor_client, bank, fmt, content, name, source, publish):
    before = every_row()
    upload = SimpleUploadedFile(name or "upload", content, "application/octet-stream")
    for source_value in (source, bank.pk):
        upload.seek(0)
        data = {"format": fmt, "import_file": upload, "source": source_value, "publish": publish}
        response = editor_client.post("/admin/questions/question/import/", data)
        assert response.status_code < 500
        # Step one only previews, whatever the file: nothing is written until confirmed.
        assert every_row() == before


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["import_file_name", "original_file_name", "format", "resource", "source", "topic", "publish"]), numberish, max_size=7))
def test_admin_import_confirmation_with_forged_fields_never_500(editor_client, bank, data):
    before = every_row()
    response = editor_client.post("/admin/questions/question/process_import/", data)
    refused_wrote_nothing(response, before)
    assert Question.objects.count() == 0


gift_tokens = st.sampled_from(
    ["{", "}", "=", "~", "#", "####", "::", "\\", "\n", "\n\n", "A. ", "B) ", "ANSWER: ", "EXPLANATION: ",
     "$CATEGORY: agreements\n", "// pariksha: passage=", "²", "9" * 30, "[html]", "->", "%50%", "T", " ", "x", "Q?", "\x00"]
)  # fmt: skip
gift_texts = st.lists(gift_tokens | st.text(max_size=5), max_size=40).map("".join)


@FUZZ
@given(fmt=st.sampled_from(["gift", "aiken", "csv", ""]), content=st.one_of(gift_texts.map(str.encode), st.binary(max_size=100)), confirm=st.booleans(), publish=st.booleans())
def test_admin_gift_and_aiken_import_of_any_text_never_500(editor_client, bank, fmt, content, confirm, publish):
    before = every_row()
    preview = editor_client.post(
        "/admin/questions/question/import-text/",
        {"format": fmt, "import_file": SimpleUploadedFile("bank.txt", content), "source": bank.pk, "publish": publish},
    )
    assert preview.status_code < 500
    assert every_row() == before
    if confirm:
        text_value = content.decode("utf-8", "replace")
        data = {"confirm": "1", "format": fmt, "source": bank.pk, "text": text_value, "publish": publish}
        response = editor_client.post("/admin/questions/question/import-text/", data)
        assert response.status_code < 500
        if response.status_code != 302:  # 302: the text held good questions, and they were imported
            assert every_row() == before


@FUZZ
@given(
    fields=st.fixed_dictionaries({}, optional={name: text for name in ("slug", "title", "published_on", "text", "confirm", "plan")}),
    upload=st.one_of(st.none(), st.binary(max_size=200)),
    name=st.sampled_from(["article.txt", "article.md", "article.html", "article.pdf", "article"]),
    existing=st.booleans(),
)
def test_admin_article_from_text_with_any_form_never_500_and_a_refusal_writes_nothing(editor_client, bank, fields, upload, name, existing):
    """The article-from-text page (issue 18): pasted text, an upload of any bytes under any name,
    forged confirmations, for a new article and a re-import."""
    url = f"/admin/questions/source/{bank.pk}/import-text/" if existing else "/admin/questions/source/add-from-text/"
    data = dict(fields)
    if upload is not None:
        data["upload"] = SimpleUploadedFile(name, upload)
    before = every_row()
    response = editor_client.post(url, data)
    assert response.status_code < 500
    if response.status_code != 302:  # 302: a confirmed, valid article was saved
        assert every_row() == before


ADMIN_FILTERS = ["q", "o", "p", "e", "all", "topic__id__exact", "status__exact", "source__id__exact", "difficulty", "_changelist_filters"]


@FUZZ_MANY_URLS
@given(
    params=st.dictionaries(st.sampled_from(ADMIN_FILTERS) | text, numberish, max_size=3),
    filters=st.dictionaries(st.sampled_from(ADMIN_FILTERS) | text, numberish, max_size=3),
    fmt=numberish,
)
def test_admin_lists_and_exports_with_any_query_string_never_500(editor_client, bank, params, filters, fmt):
    before = every_row()
    for url in [
        "/admin/questions/question/",
        "/admin/questions/source/",
        "/admin/questions/topic/",
        "/admin/quiz/quiz/",
        "/admin/questions/question/import/",
        "/admin/questions/question/import-text/",
    ]:
        assert editor_client.get(url, params).status_code < 500, url
    # The export page takes the list's filters; one naming no field is refused (pinned below).
    assert editor_client.get("/admin/questions/question/export/", filters).status_code < 500
    response = editor_client.post("/admin/questions/question/export/", {"format": fmt})
    assert response.status_code < 500
    assert every_row() == before


def test_admin_export_with_a_filter_naming_no_field_is_refused_not_a_500(editor_client, bank):
    assert editor_client.get("/admin/questions/question/?nosuchfield=1").status_code == 302  # the list: ?e=1
    before = every_row()
    assert editor_client.get("/admin/questions/question/export/?nosuchfield=1").status_code == 400
    assert every_row() == before


@pytest.mark.parametrize(
    "url",
    ["/admin/questions/question/?status__exact=%00", "/admin/questions/question/?q=a%00b", "/?page=%00", "/attempts/?%00=1"],
)
def test_a_nul_character_in_the_query_string_is_a_400_with_a_message_not_a_500(editor_client, bank, url):
    """PostgreSQL refuses text holding NUL: hypothesis found ?status__exact=%00 answered with a
    500 there. Every query string holding one is refused before any view, on both databases."""
    before = every_row()
    response = editor_client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert every_row() == before


ACTIONS = ["publish", "unpublish", "archive", "move_to_topic", "build_quiz", "export_gift", "export_aiken", "delete_selected", "nope", ""]


@FUZZ
@given(
    action=st.sampled_from(ACTIONS),
    # Ids, numbers past 64 bits and text: a selection that is not ids is refused (pinned below).
    selected=st.lists(numberish, max_size=3),
    topic=numberish,
    extra=query,
)
def test_admin_question_actions_with_forged_selections_never_500(editor_client, bank, action, selected, topic, extra):
    data = {**extra, "action": action, "_selected_action": selected, "index": 0, "apply": "1", "topic": topic}
    assert editor_client.post("/admin/questions/question/", data).status_code < 500


@pytest.mark.parametrize("selected", ["x", str(2**70), "-1", "١"])  # the last: an Arabic-Indic one
def test_admin_action_on_a_selection_that_is_not_an_id_is_refused_not_a_500(editor_client, bank, selected):
    draft = QuestionFactory(source=bank, status="draft")
    before = every_row()
    data = {"action": "publish", "_selected_action": [str(draft.pk), selected], "index": 0}
    response = editor_client.post("/admin/questions/question/", data, follow=True)
    assert response.redirect_chain == [("/admin/questions/question/", 302)]
    assert "The selection held something that is not a question." in response.content.decode()
    assert every_row() == before  # not even the real question in the selection was published


# --- readers: any bytes in, rows or one clear refusal out ----------------------------------------


@settings(max_examples=300, deadline=None)
@given(content=st.one_of(gift_texts.map(str.encode), st.binary(max_size=200), table_rows.map(csv_file), table_rows.map(json_file)), fmt=st.sampled_from(service.FORMATS))
def test_every_reader_returns_rows_or_refuses_with_a_message(content, fmt):
    try:
        rows = service.read_rows(content, fmt)
    except BankImportError as error:
        assert error.problems and error.message.startswith("Nothing was imported.")
    else:
        assert isinstance(rows, list) and all(isinstance(row, QuestionRow) for row in rows)


# --- changing and resetting a password -----------------------------------------------------------

new_passwords = st.fixed_dictionaries(
    {},
    optional={
        "old_password": st.one_of(text, st.just("correct horse battery staple")),
        "new_password1": st.one_of(text, st.just("a new horse, battery and staple")),
        "new_password2": st.one_of(text, st.just("a new horse, battery and staple")),
    },
)


def password_hash(user) -> str:
    return type(user).objects.values_list("password", flat=True).get(pk=user.pk)


@FUZZ
@given(data=new_passwords, headers=htmx_headers)
def test_changing_a_password_with_any_form_never_500_and_a_refusal_keeps_the_old_one(client, learner, data, headers):
    client.force_login(learner)
    before = password_hash(learner)
    response = client.post("/accounts/password_change/", data, **headers)
    assert response.status_code < 500
    if response.status_code != 302:
        assert password_hash(learner) == before


@FUZZ
@given(uidb64=path_text, token=path_text, data=new_passwords, headers=htmx_headers)
def test_a_reset_link_with_any_uid_and_token_never_500_and_changes_nothing(client, learner, uidb64, token, data, headers):
    before = password_hash(learner)
    url = f"/accounts/reset/{uidb64}/{token}/"
    assert client.get(url, **headers).status_code < 500
    assert client.post(url, data, **headers).status_code < 500
    assert password_hash(learner) == before


@FUZZ
@given(data=new_passwords, headers=htmx_headers)
def test_setting_a_password_from_a_real_reset_link_with_any_form_never_500(client, learner, data, headers):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    learner.refresh_from_db()  # an earlier example may have set a new password: a new token
    uidb64 = urlsafe_base64_encode(force_bytes(learner.pk))
    link = client.get(f"/accounts/reset/{uidb64}/{default_token_generator.make_token(learner)}/")
    assert link.status_code == 302  # to the form, the token now kept in the session
    before = password_hash(learner)
    response = client.post(link["Location"], data, **headers)
    assert response.status_code < 500
    if response.status_code != 302:
        assert password_hash(learner) == before
    else:
        assert password_hash(learner) != before


# --- a quiz's timing and preset in admin, a learner's extra time on their user page ---------


@FUZZ
@given(
    preset=st.one_of(text, st.sampled_from(["", "daily-drill", "upsc-prelims"])),
    timing=st.one_of(text, st.sampled_from(["", "question", "paper"])),
    seconds=numberish,
)
def test_saving_a_quiz_with_any_preset_and_timing_never_500(editor_client, bank, preset, timing, seconds):
    from django.urls import reverse

    data = {
        "title_en": "Mock", "slug": "mock", "description_en": "", "selection": "fixed", "draw_count": "",
        "draw_topic": "", "draw_source": "", "timing": timing, "preset": preset, "seconds_per_question": seconds,
        "marks_correct": "2", "marks_wrong": "0.66", "feedback": "each",
        "quiz_questions-TOTAL_FORMS": "0", "quiz_questions-INITIAL_FORMS": "0",
        "quiz_questions-MIN_NUM_FORMS": "0", "quiz_questions-MAX_NUM_FORMS": "1000",
    }
    before = every_row()
    response = editor_client.post(reverse("admin:quiz_quiz_add"), data)
    assert response.status_code < 500
    if response.status_code != 302:  # admin answers a refused form with the form again
        assert every_row() == before
    else:
        from quiz.models import Quiz

        Quiz.objects.filter(slug="mock").delete()


@FUZZ
@given(factor=numberish, extra=query)
def test_an_admin_setting_any_time_factor_on_a_user_never_500(client, learner, factor, extra):
    from django.urls import reverse

    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    data = {
        **extra,
        "username": learner.username, "email": learner.email, "is_active": "on",
        "date_joined_0": "2026-11-25", "date_joined_1": "10:00:00",
        "time_allowance-TOTAL_FORMS": "1", "time_allowance-INITIAL_FORMS": "0",
        "time_allowance-MIN_NUM_FORMS": "0", "time_allowance-MAX_NUM_FORMS": "1",
        "time_allowance-0-factor": factor, "time_allowance-0-user": str(learner.pk),
    }
    response = client.post(reverse("admin:auth_user_change", args=[learner.pk]), data)
    assert response.status_code < 500
    # Only a factor offered is ever stored.
    offered = {value for value, _ in TIME_FACTOR_CHOICES}
    assert set(TimeAllowance.objects.values_list("factor", flat=True)) <= offered


# --- the learning loop: progress, the mistakes notebook, revision ---------------------------------


@FUZZ_MANY_URLS
@given(segment=path_id, data=st.dictionaries(text, text, max_size=3), params=query, headers=htmx_headers)
def test_the_learning_pages_with_random_ids_and_forms_never_500(learner, teaching, segment, data, params, headers):
    _, _, attempt = teaching
    client = Client()
    client.force_login(learner)
    for url in ("/progress/", "/revise/", f"/progress/topics/{segment}/practise/", f"/revise/attempts/{segment}/mistakes/"):
        assert client.get(url, params, **headers).status_code < 500, url
    for url in (
        f"/revise/attempts/{segment}/mistakes/",
        f"/revise/questions/{segment}/add/",
        f"/revise/questions/{segment}/remove/",
        f"/progress/topics/{segment}/practise/",
        "/revise/start/",
    ):
        before = every_row()
        refused_wrote_nothing(client.post(url, data, **headers), before)
    # A "next" that leaves the site is never followed.
    question = Question.objects.filter(quizzes__attempts=attempt).first()
    response = client.post(f"/revise/questions/{question.pk}/add/", {"next": data.get("next", "//evil.example/")})
    assert response.status_code == 302 and not response["Location"].startswith(("//", "http"))
