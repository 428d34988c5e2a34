"""An article in one step: its text split into passages at paragraph breaks with its section
headings (plain text, Markdown, HTML), `import_article`, and re-importing an edited article."""

import pytest
from django.core.management import CommandError, call_command

from questions.articles import Paragraph, split_html, split_text
from questions.models import Passage, Source
from tests.factories import QuestionFactory

ARTICLE = """# Monetary policy

The RBI kept the repo rate at 6.5 per cent.
Its committee voted five to one.

Inflation outlook

Retail inflation is projected at 4.5 per cent for the year.
"""


def test_text_and_markdown_split_at_paragraph_breaks_under_their_headings():
    assert split_text(ARTICLE) == [
        Paragraph("Monetary policy", "The RBI kept the repo rate at 6.5 per cent. Its committee voted five to one."),
        Paragraph("Inflation outlook", "Retail inflation is projected at 4.5 per cent for the year."),
    ]


def test_a_short_hindi_sentence_ending_in_a_danda_is_a_paragraph_not_a_heading():
    assert split_text("मौद्रिक नीति\n\nरिज़र्व बैंक ने रेपो दर 6.5 प्रतिशत पर रखी।") == [
        Paragraph("मौद्रिक नीति", "रिज़र्व बैंक ने रेपो दर 6.5 प्रतिशत पर रखी।")
    ]


def test_html_splits_into_paragraphs_and_keeps_markup_as_text():
    html = "<nav>Home</nav><h2>Monetary policy</h2><p>The repo rate &amp; the <b>CRR</b>.</p><script>x()</script><p>&lt;img&gt; stays text.</p>"
    assert split_html(html) == [
        Paragraph("Monetary policy", "The repo rate & the CRR."),
        Paragraph("Monetary policy", "<img> stays text."),
    ]


def test_import_article_creates_the_source_with_its_passages(tmp_path, db, capsys):
    path = tmp_path / "rbi.md"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("import_article", str(path), "--slug", "rbi-policy", "--title", "RBI policy", "--published-on", "2026-12-05")
    source = Source.objects.get(slug="rbi-policy")
    assert (source.title, str(source.published_on)) == ("RBI policy", "2026-12-05")
    assert list(source.passages.values_list("position", "heading")) == [(1, "Monetary policy"), (2, "Inflation outlook")]
    assert "Created rbi-policy: 2 passages" in capsys.readouterr().out


def test_reimporting_keeps_cited_passages_by_text_and_reports_the_changed_ones(tmp_path, db, capsys):
    path = tmp_path / "rbi.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("import_article", str(path), "--slug", "rbi-policy", "--title", "RBI policy")
    source = Source.objects.get(slug="rbi-policy")
    repo, outlook = source.passages.order_by("position")
    on_repo = QuestionFactory(source=source, passage=repo)
    on_outlook = QuestionFactory(source=source, passage=outlook)
    edited = ARTICLE.replace("4.5 per cent", "4.4 per cent").replace("# Monetary policy\n", "# Monetary policy\n\nA new opening paragraph, added in the edit.\n")
    path.write_text(edited, encoding="utf-8")
    capsys.readouterr()

    call_command("import_article", str(path), "--slug", "rbi-policy", "--title", "RBI policy")

    on_repo.refresh_from_db()
    on_outlook.refresh_from_db()
    assert on_repo.passage_id == repo.pk and Passage.objects.get(pk=repo.pk).position == 2  # kept, moved
    assert on_outlook.passage_id == outlook.pk  # its text changed: kept for its question, reported
    assert [p.text[:22] for p in source.passages.order_by("position")] == [
        "A new opening paragrap", "The RBI kept the repo ", "Retail inflation is pr", "Retail inflation is pr",
    ]
    out = capsys.readouterr().out
    assert "1 kept, 2 new, 0 removed" in out
    assert "Changed: ¶4 (cited by 1 question) is no longer in the article" in out


def test_an_empty_or_unreadable_file_is_refused_and_nothing_is_written(tmp_path, db):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    binary = tmp_path / "article.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for path in (empty, binary):
        with pytest.raises(CommandError):
            call_command("import_article", str(path), "--slug", "x", "--title", "X")
    assert not Source.objects.exists()


def test_the_question_forms_passage_picker_searches_the_paragraphs_words(editor_client, tmp_path):
    path = tmp_path / "rbi.md"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("import_article", str(path), "--slug", "rbi-policy", "--title", "RBI policy")
    found = editor_client.get(
        "/admin/autocomplete/",
        {"term": "retail inflation", "app_label": "questions", "model_name": "question", "field_name": "passage"},
    ).json()
    assert [r["text"] for r in found["results"]] == [
        "rbi-policy ¶2: Retail inflation is projected at 4.5 per cent for the year."
    ]
