"""The first question bank (fixtures article_source + article_bank): what the database holds after
loading it, and that no question teaches the article's slips about the 2019 2+2 dialogue."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from questions.models import Question
from questions.text import normalise_stem

# "Source: …" when the passage supports the key; "The article's slip: …" when it states the key
# wrongly (no passage of the article states it right).
CITATION = re.compile(r"(Source: article, paragraph|The article's slip: paragraph) (\d+) \(([^()]*)\)\.$")
SLIP_CLOSING = "The article's slip: paragraph"
NUMBERED_ITEM = re.compile(r"^(\d+)\.\s")
# The article calls the 2019 dialogue the first ("inaugural") one and places it in New Delhi; the
# record is 6 September 2018 in New Delhi for the first and 18 December 2019 in Washington DC.
SLIP = re.compile(r"\b(first|inaugural|new delhi)\b", re.IGNORECASE)


@pytest.fixture
def bank(db):
    call_command("loaddata", "article_source", "article_bank", verbosity=0)
    return list(Question.objects.select_related("source", "passage").prefetch_related("choices"))


def correct_choice(question):
    return next(c for c in question.choices.all() if c.is_correct)


def keyed_numbers(question, option_text, numbers):
    """Which numbered statements or pairs the key teaches as true. A count ("Only two pairs",
    "Only one") does not say which, so every item is taken as taught; "None" teaches none."""
    if option_text.startswith(("Neither", "None")):
        chosen = set()
    elif "How many" in question.stem or option_text.startswith("All"):
        return set(numbers)
    elif option_text.startswith("Both"):
        chosen = {1, 2}
    else:
        chosen = {int(n) for n in re.findall(r"\d+", option_text)}
    if "is/are not correct" in question.stem:
        return set(numbers) - chosen
    return chosen


def taught_lines(question):
    """The stem's lead-in and question lines, the numbered items the key says are true, and the
    text of the correct option: everything a learner who gets it right comes away believing."""
    option = correct_choice(question).text
    items, others = {}, []
    for line in question.stem.splitlines():
        match = NUMBERED_ITEM.match(line)
        if match:
            items[int(match.group(1))] = line
        else:
            others.append(line)
    chosen = keyed_numbers(question, option, items) if items else set()
    return others + [items[n] for n in sorted(chosen)] + [option]


def sentences(text):
    return [s for s in re.split(r"[.;?!\n]", text) if s.strip()]


@pytest.mark.django_db
def test_bank_holds_at_least_forty_published_questions(bank):
    assert Question.objects.published().count() >= 40
    assert all(q.status == Question.Status.PUBLISHED for q in bank)


@pytest.mark.django_db
def test_every_question_has_exactly_one_correct_option_of_four(bank):
    for question in bank:
        choices = list(question.choices.all())
        assert sorted(c.position for c in choices) == [0, 1, 2, 3], question.pk
        assert sum(c.is_correct for c in choices) == 1, question.pk
        assert len({c.text.strip().casefold() for c in choices}) == 4, question.pk


@pytest.mark.django_db
def test_every_question_cites_a_passage_of_its_own_source(bank):
    for question in bank:
        assert question.passage is not None, question.pk
        assert question.passage.source_id == question.source_id, question.pk


@pytest.mark.django_db
def test_every_explanation_ends_with_a_citation_of_the_question_passage(bank):
    for question in bank:
        assert question.explanation.strip(), question.pk
        match = CITATION.search(question.explanation.strip())
        assert match, f"question {question.pk} has no citation at the end of its explanation"
        assert int(match.group(2)) == question.passage.position, question.pk
        assert match.group(3) == question.passage.heading, question.pk
        assert (match.group(1) == SLIP_CLOSING) == question.passage_contradicts_key, question.pk


@pytest.mark.django_db
def test_the_passages_that_state_the_key_wrongly_are_marked_so(bank):
    """Where the article has no passage stating the key right, the question cites the passage
    that gets it wrong, marked so that learners see it as the article's slip: the second
    dialogue's city (¶13 says New Delhi), the ISA at the second dialogue (¶36: only readiness to
    negotiate), the Major Defence Partner designation (¶77: only a "potential"), and C4ISR (¶2
    runs "computer intelligence" together)."""
    marked = {q.pk: q.passage.position for q in bank if q.passage_contradicts_key}
    assert marked == {37: 13, 43: 36, 47: 77, 48: 2}

@pytest.mark.django_db
def test_every_explanation_names_the_right_option_and_each_wrong_one_by_letter(bank):
    for question in bank:
        letter = correct_choice(question).letter.lower()
        assert f"answer is ({letter})" in question.explanation, question.pk
        for other in "abcd":
            assert f"({other})" in question.explanation, (question.pk, other)


# The two ways UPSC asks about a set of statements: which of them, or how many of them.
UPSC_STATEMENT_QUESTION = re.compile(
    r"^(Which of the statements given above is/are (not )?correct\?"
    r"|How many of the above statements are correct\?)$"
)


@pytest.mark.django_db
def test_at_least_forty_percent_are_upsc_statement_questions_in_upsc_form(bank):
    statements = [q for q in bank if q.style == Question.Style.STATEMENTS]
    assert len(statements) >= 0.4 * len(bank)
    for question in statements:
        assert question.stem.startswith("Consider the following statements"), question.pk
        assert UPSC_STATEMENT_QUESTION.match(question.stem.splitlines()[-1]), question.pk


@pytest.mark.django_db
def test_bank_has_pair_matching_questions(bank):
    pairs = [q for q in bank if q.style == Question.Style.PAIRS]
    assert pairs
    assert all("pairs" in q.stem for q in pairs)


@pytest.mark.django_db
def test_no_two_stems_are_the_same_after_normalising(bank):
    stems = Counter(normalise_stem(q.stem) for q in bank)
    assert [stem for stem, n in stems.items() if n > 1] == []


@pytest.mark.django_db
def test_no_option_position_is_correct_for_more_than_forty_percent_of_questions(bank):
    positions = Counter(correct_choice(q).position for q in bank)
    assert max(positions.values()) <= 0.4 * len(bank), positions


@pytest.mark.django_db
def test_no_question_teaches_that_the_2019_dialogue_was_the_first_or_in_new_delhi(bank):
    offending = []
    for question in bank:
        for line in taught_lines(question):
            for sentence in sentences(line):
                if "2019" in sentence and SLIP.search(sentence):
                    offending.append((question.pk, sentence.strip()))
    assert offending == []


def test_the_slip_check_catches_the_article_wording():
    """The check above must flag what the article says, or it proves nothing."""
    article = (
        "In 2019, India and the United States held their inaugural '2+2 dialogue' in New Delhi"
    )
    record = "The second dialogue was held in Washington DC on 18 December 2019"
    assert any("2019" in s and SLIP.search(s) for s in sentences(article))
    assert not any("2019" in s and SLIP.search(s) for s in sentences(record))


NAMED_PARAGRAPHS = re.compile(r"\bparagraphs? (\d+(?:(?:, | and )\d+)*)")
QUOTED = re.compile(r"'([^']+)'")


def where_explanations_say_the_article_says(question):
    """(paragraph numbers, quoted words) of each sentence that tells the learner what the article
    says in named paragraphs, the citation at the end left out."""
    body = CITATION.sub("", question.explanation.strip())
    for sentence in re.split(r"(?<=\.) ", body):
        named = NAMED_PARAGRAPHS.search(sentence)
        if "article" in sentence and named:
            yield [int(n) for n in re.findall(r"\d+", named.group(1))], QUOTED.findall(sentence)


@pytest.mark.django_db
def test_where_an_explanation_points_at_the_article_the_paragraphs_hold_what_it_quotes(bank):
    """An explanation that sends the learner to the article's slip must send them to where the
    slip is: the paragraphs it names exist, and its quoted words stand in one of them."""
    pointers = 0
    for question in bank:
        paragraphs = {p.position: p.text for p in question.source.passages.all()}
        for numbers, quotes in where_explanations_say_the_article_says(question):
            pointers += 1
            assert set(numbers) <= paragraphs.keys(), (question.pk, numbers)
            for quote in quotes:
                assert any(quote in paragraphs[n] for n in numbers), (question.pk, quote, numbers)
    assert pointers >= 8  # the slips the bank explains: COMCASA's year, STA-1's, the ISA's, BECA's
