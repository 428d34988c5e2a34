"""The article bank's Hindi (issue 19, part 3, point 6): every topic, question, option,
passage and the source's title, in the Hindi of the UPSC Hindi-medium paper, kept beside the
English fixtures in questions/translations/ and written into the texts' Hindi columns by
`load_article_bank`.

What a reader of the Hindi paper must be able to rely on, checked against the English: nothing
left untranslated, the statements numbered and broken into lines as in English, the option
letters and every figure unchanged, and the official abbreviations kept in Latin letters."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    ("questions/fixtures/article_bank.json", "questions/translations/article_bank_hi.json"),
    ("questions/fixtures/article_source.json", "questions/translations/article_source_hi.json"),
    ("quiz/fixtures/article_quizzes.json", "questions/translations/article_quizzes_hi.json"),
]
TRANSLATED = {
    "questions.topic": ["name"],
    "questions.question": ["stem", "explanation"],
    "questions.choice": ["text"],
    "questions.giveawaygroup": ["name"],
    "questions.source": ["title"],
    "questions.passage": ["heading", "text"],
    "quiz.quiz": ["title", "description"],
}
ABBREVIATIONS = ["COMCASA", "LEMOA", "BECA", "GSOMIA", "ISA", "STA-1", "DTTI", "DIU", "iDEX", "2+2"]
DEVANAGARI = re.compile("[\u0900-\u097f]")


def pairs():
    for english_path, hindi_path in PAIRS:
        english = json.loads((ROOT / english_path).read_text(encoding="utf-8"))
        hindi = json.loads((ROOT / hindi_path).read_text(encoding="utf-8"))
        by_key = {(row["model"], row["pk"]): row["fields"] for row in hindi}
        for row in english:
            for field in TRANSLATED.get(row["model"], []):
                english_text = row["fields"][field]
                hindi_text = by_key.get((row["model"], row["pk"]), {}).get(f"{field}_hi")
                yield f"{row['model']} {row['pk']} {field}", english_text, hindi_text


ALL = list(pairs())


def test_every_text_of_the_bank_has_its_hindi():
    missing = [name for name, english, hindi in ALL if english and not hindi]
    assert not missing, missing
    assert len(ALL) >= 50 * 2 + 200 + 77 * 2  # questions, options, passages at the least


@pytest.mark.parametrize(("name", "english", "hindi"), [p for p in ALL if p[1]], ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None)
def test_the_hindi_keeps_the_english_lines_numbers_letters_and_abbreviations(name, english, hindi):
    if re.search(r"[a-z]{4,}", english):  # prose, not a bare year or abbreviation
        assert DEVANAGARI.search(hindi), f"{name} is not in Devanagari"
    assert hindi.count("\n") == english.count("\n"), name
    assert re.findall(r"^\d\.", hindi, re.M) == re.findall(r"^\d\.", english, re.M), name
    # The option letters an explanation names (Hindi word order may name them in another order).
    assert set(re.findall(r"\(([a-d])\)", hindi)) == set(re.findall(r"\(([a-d])\)", english)), name
    assert sorted(re.findall(r"\d{4}", hindi)) == sorted(re.findall(r"\d{4}", english)), name
    for abbreviation in ABBREVIATIONS:
        if re.search(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])", english):
            assert abbreviation in hindi, f"{name} drops {abbreviation}"


@pytest.mark.django_db
def test_the_loaded_bank_reads_in_hindi_and_in_english():
    from django.core.management import call_command
    from django.utils import translation

    from questions.models import Passage, Question
    from quiz.models import Quiz

    call_command("load_article_bank", verbosity=0)
    question = Question.objects.get(pk=4)
    with translation.override("hi"):
        assert question.stem.startswith("तीसरी भारत-अमेरिका 2+2 मंत्रिस्तरीय वार्ता")
        assert not question.lacks_translation
        assert Quiz.objects.get(pk=2).title == "भारत–अमेरिका रक्षा सहयोग: 10 प्रश्नों का परीक्षा अभ्यास"
        assert DEVANAGARI.search(Passage.objects.first().text)
    with translation.override("en"):
        assert question.stem.startswith("Consider the following statements about the third India-US 2+2")
