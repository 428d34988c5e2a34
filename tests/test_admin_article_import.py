"""Admin's "Add article from text": an editor pastes an article or uploads a file, sees its
passages (numbered, under their headings) and saves them; re-importing shows which passages are
kept, new, changed or removed before anything is written. Bad input gets the form again with a
message, a 4xx, and writes nothing; only editors reach it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from questions.forms import MAX_ARTICLE_BYTES
from questions.models import Passage, Source
from tests.factories import PassageFactory, QuestionFactory, SourceFactory, UserFactory

ADD = "/admin/questions/source/add-from-text/"

ARTICLE = """# Monetary policy

The RBI kept the repo rate at 6.5 per cent.
Its committee voted five to one.

The standing deposit facility stays at 6.25 per cent.

Inflation outlook

Retail inflation is projected at 4.5 per cent for the year.
"""


def reimport_url(source) -> str:
    return f"/admin/questions/source/{source.pk}/import-text/"


def details(**extra) -> dict:
    return {"slug": "rbi-policy", "title": "RBI policy", "published_on": "2026-12-05", "text": "", **extra}


def preview(client, url=ADD, **fields):
    return client.post(url, details(**fields))


def post_with_upload(client, fields: dict):
    """The form with `fields`, an `upload` given as (file name, bytes) sent as a file."""
    if "upload" in fields:
        name, data = fields.pop("upload")
        fields["upload"] = SimpleUploadedFile(name, data)
    return client.post(ADD, details(**fields))


def confirm_fields(response) -> dict:
    """What the preview's Save button sends back: its form's fields, as rendered."""
    form = response.context["confirm_form"]
    return {**{name: form[name].value() for name in form.fields}, "confirm": "1"}


def test_a_pasted_article_is_previewed_numbered_under_its_headings_and_nothing_is_saved(editor_client):
    response = preview(editor_client, text=ARTICLE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "splits into 3 passages" in page and "under 2 headings" in page
    assert page.count("data-heading") == 2
    assert "§ Monetary policy" in page and "§ Inflation outlook" in page
    assert 'data-passage="3"' in page and "Retail inflation is projected" in page
    assert not Source.objects.exists() and not Passage.objects.exists()


def test_confirming_the_preview_saves_the_article_and_its_passages(editor_client, editor):
    response = editor_client.post(ADD, confirm_fields(preview(editor_client, text=ARTICLE)))

    source = Source.objects.get(slug="rbi-policy")
    assert response.status_code == 302 and response["Location"] == f"/admin/questions/source/{source.pk}/change/"
    assert (source.title, str(source.published_on)) == ("RBI policy", "2026-12-05")
    assert list(source.passages.values_list("position", "heading")) == [
        (1, "Monetary policy"), (2, "Monetary policy"), (3, "Inflation outlook"),
    ]
    assert source.passages.get(position=1).text == "The RBI kept the repo rate at 6.5 per cent. Its committee voted five to one."
    assert LogEntry.objects.get(object_id=str(source.pk)).user == editor
    page = editor_client.get(response["Location"]).content.decode()
    assert "Created “RBI policy” with 3 passages." in page


def test_an_uploaded_html_file_is_reduced_to_text_without_its_scripts(editor_client):
    html = (
        "<html><head><script>steal()</script><style>p{}</style></head><body><nav>Home · Login</nav>"
        "<h2>Fiscal &amp; monetary</h2><p>Repo at 6.5&nbsp;per cent &lt;unchanged&gt;.</p>"
        "<p onclick=\"x()\">Second <b>paragraph</b>.</p><script>alert(1)</script></body></html>"
    )
    upload = SimpleUploadedFile("rbi.html", html.encode(), content_type="text/html")
    response = editor_client.post(ADD, {**details(), "upload": upload})
    assert response.status_code == 200
    # The raw file goes back escaped in the confirm form's hidden field; the preview is text.
    page = response.content.decode().split('class="article-preview"')[1]
    assert "<script" not in response.content.decode().split("</form>")[-1]
    assert "steal()" not in page and "alert(1)" not in page and "Home · Login" not in page
    assert "§ Fiscal &amp; monetary" in page and "Repo at 6.5 per cent &lt;unchanged&gt;." in page

    editor_client.post(ADD, confirm_fields(response))

    source = Source.objects.get(slug="rbi-policy")
    assert list(source.passages.values_list("heading", "text")) == [
        ("Fiscal & monetary", "Repo at 6.5 per cent <unchanged>."),
        ("Fiscal & monetary", "Second paragraph."),
    ]


def test_a_markdown_upload_with_devanagari_is_split_like_pasted_text(editor_client):
    text = "# मौद्रिक नीति\n\nरिज़र्व बैंक ने रेपो दर 6.5 प्रतिशत पर रखी।\n"
    upload = SimpleUploadedFile("rbi.md", text.encode(), content_type="text/markdown")
    editor_client.post(ADD, confirm_fields(editor_client.post(ADD, {**details(), "upload": upload})))
    assert list(Source.objects.get().passages.values_list("heading", "text")) == [
        ("मौद्रिक नीति", "रिज़र्व बैंक ने रेपो दर 6.5 प्रतिशत पर रखी।")
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"text": ""}, "The article is empty"),
        ({"text": "  \n\n  "}, "The article is empty"),
        ({"text": "Only a heading\n\nAnother heading"}, "The article has no paragraphs"),
        ({"upload": ("rbi.pdf", b"%PDF-1.4")}, "Upload a .txt, .md or .html file"),
        ({"upload": ("rbi.txt", b"The repo rate \xff\xfe is 6.5.")}, "Not UTF-8 text"),
        ({"upload": ("rbi.txt", b"\xff\xfeT\x00h\x00e\x00")}, "UTF-16"),
        ({"upload": ("rbi.txt", b"A" * (MAX_ARTICLE_BYTES + 1))}, "at most 256 KB of text is accepted"),
        ({"text": "Para. " * (MAX_ARTICLE_BYTES // 6 + 1)}, "at most 256 KB of text is accepted"),
        ({"text": ARTICLE, "upload": ("rbi.txt", ARTICLE.encode())}, "Paste the text or upload a file, not both."),
        ({"text": ARTICLE, "slug": "not a slug!"}, "Enter a valid “slug”"),
        ({"text": ARTICLE, "title": ""}, "This field is required."),
        ({"text": ARTICLE, "published_on": "2026-13-45"}, "Enter a valid date."),
    ],
)
def test_bad_input_gets_the_form_again_with_a_message_and_writes_nothing(editor_client, fields, message):
    response = post_with_upload(editor_client, fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Source.objects.exists() and not Passage.objects.exists()


def test_a_duplicate_slug_is_refused_with_the_way_out(editor_client):
    SourceFactory(slug="rbi-policy", title="The old one")
    response = preview(editor_client, text=ARTICLE)
    assert response.status_code == 400
    assert "An article with the slug “rbi-policy” exists already" in response.content.decode()
    assert Source.objects.get().title == "The old one" and not Passage.objects.exists()


def test_a_slug_taken_between_preview_and_save_is_refused_and_nothing_is_written(editor_client):
    fields = confirm_fields(preview(editor_client, text=ARTICLE))
    SourceFactory(slug="rbi-policy", title="Someone else's")
    response = editor_client.post(ADD, fields)
    assert response.status_code == 400
    assert "exists already" in response.content.decode()
    assert Source.objects.get().title == "Someone else's" and not Passage.objects.exists()


def test_a_confirmation_whose_text_was_emptied_writes_nothing(editor_client):
    fields = {**confirm_fields(preview(editor_client, text=ARTICLE)), "text": "\n\n"}
    response = editor_client.post(ADD, fields)
    assert response.status_code == 400
    assert "The article has no paragraphs" in response.content.decode()
    assert not Source.objects.exists()


def test_reimporting_shows_kept_new_changed_and_removed_passages_before_saving(editor_client):
    source = SourceFactory(slug="rbi-policy", title="RBI policy")
    repo = PassageFactory(source=source, position=1, heading="Monetary policy",
                          text="The RBI kept the repo rate at 6.5 per cent. Its committee voted five to one.")
    sdf = PassageFactory(source=source, position=2, heading="Monetary policy", text="An old paragraph nobody cites.")
    outlook = PassageFactory(source=source, position=3, heading="Inflation outlook",
                             text="Retail inflation is projected at 4.6 per cent for the year.")
    QuestionFactory.create_batch(2, source=source, passage=repo)
    QuestionFactory(source=source, passage=outlook)

    response = preview(editor_client, reimport_url(source), text=ARTICLE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept: 1. New: 2. Changed (cited, no longer in the article, kept for their questions): 1. Removed: 1." in page
    assert "Kept (cited by 2 questions)" in page
    assert "kept for the 1 question that cites it" in page and "4.6 per cent" in page
    assert "Removed (no question cites it)" in page and "An old paragraph nobody cites." in page
    assert Passage.objects.filter(source=source).count() == 3  # nothing written yet
    assert response.context["confirm_form"]["slug"].value() == "rbi-policy"

    saved = editor_client.post(reimport_url(source), confirm_fields(response))

    assert saved.status_code == 302
    assert not Passage.objects.filter(pk=sdf.pk).exists()
    assert list(source.passages.order_by("position").values_list("pk", "position")) == [
        (repo.pk, 1), (source.passages.get(text__startswith="The standing").pk, 2),
        (source.passages.get(text__contains="4.5 per cent").pk, 3), (outlook.pk, 4),
    ]
    page = editor_client.get(saved["Location"]).content.decode()
    assert "1 passages kept, 2 new, 1 removed" in page
    assert "1 cited passage is no longer in the article" in page


def test_a_reimport_cannot_move_the_article_to_another_slug(editor_client):
    source = SourceFactory(slug="rbi-policy")
    response = preview(editor_client, reimport_url(source), text=ARTICLE, slug="elsewhere")
    fields = {**confirm_fields(response), "slug": "elsewhere"}
    editor_client.post(reimport_url(source), fields)
    assert list(Source.objects.values_list("slug", flat=True)) == ["rbi-policy"]
    assert source.passages.count() == 3


def test_the_source_list_and_page_link_to_the_article_import(editor_client):
    source = SourceFactory()
    assert ADD in editor_client.get("/admin/questions/source/").content.decode()
    assert reimport_url(source) in editor_client.get(f"/admin/questions/source/{source.pk}/change/").content.decode()


def test_a_staff_member_without_the_editors_permissions_is_refused(client, db):
    client.force_login(UserFactory(is_staff=True))
    source = SourceFactory()
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, details(text=ARTICLE)).status_code == 403
    assert client.post(reimport_url(source), details(text=ARTICLE, confirm="1", kind="text")).status_code == 403
    assert not Passage.objects.exists()


def test_a_learner_and_an_anonymous_visitor_are_sent_to_the_admin_login(client, learner):
    assert client.get(ADD).status_code == 302
    client.force_login(learner)
    response = client.post(ADD, details(text=ARTICLE, confirm="1", kind="text"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Source.objects.exists()


def test_reimporting_an_article_that_does_not_exist_is_a_404(editor_client):
    assert editor_client.get("/admin/questions/source/999999/import-text/").status_code == 404


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"text": "A paragraph with a NUL \x00 in it, which the database cannot store."}, "Null characters are not allowed."),
        ({"upload": ("nul.txt", b"A paragraph with a NUL \x00 in it.")}, "NUL bytes"),
        ({"upload": ("broken.html", b"<script>alert(1)<p>never closed")}, "The article has no paragraphs"),
        ({"upload": ("chrome.html", b"<nav><p>Home</p></nav><footer><p>Contact</p></footer>")}, "The article has no paragraphs"),
    ],
)
def test_odd_text_and_broken_html_get_a_message_not_a_500(editor_client, fields, message):
    response = post_with_upload(editor_client, fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize("change", [{"kind": "pdf"}, {"text": ""}, {"slug": ""}, {"published_on": "yesterday"}])
def test_a_forged_confirmation_is_refused_and_writes_nothing(editor_client, change):
    fields = {**confirm_fields(preview(editor_client, text=ARTICLE)), **change}
    response = editor_client.post(ADD, fields)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Source.objects.exists() and not Passage.objects.exists()


def test_unclosed_html_keeps_its_paragraphs_and_drops_an_unclosed_script(editor_client):
    upload = SimpleUploadedFile("broken.html", b"<h1>Title<p>Never closed <script>alert(1)<p>hidden")
    response = editor_client.post(ADD, {**details(), "upload": upload})
    assert response.status_code == 200
    preview_table = response.content.decode().split('class="article-preview"')[1]
    assert "Never closed" in preview_table and "alert(1)" not in preview_table and "hidden" not in preview_table


def test_reimporting_the_same_text_keeps_every_passage_and_says_so(editor_client):
    editor_client.post(ADD, confirm_fields(preview(editor_client, text=ARTICLE)))
    source = Source.objects.get()
    rows = list(source.passages.values_list("pk", "position"))

    response = preview(editor_client, reimport_url(source), text=ARTICLE)

    page = response.content.decode()
    assert "Kept: 3. New: 0." in page and page.count("Kept (unchanged)") == 3
    editor_client.post(reimport_url(source), confirm_fields(response))
    assert list(source.passages.values_list("pk", "position")) == rows
