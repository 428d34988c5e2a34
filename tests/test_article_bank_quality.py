"""What the subject review of the article bank asked for, where a test can check it: enough
questions in UPSC statement form, statement questions whose options and keys do not give the answer
away, the Memorandum of Intent dated to the first 2+2 dialogue, every wrong option dismissed with a
reason of its own, and no distractor or stem wording that hands over the key.

tests/test_question_bank.py covers what the database holds after loading the bank (citations, four
options, the article's slips about the 2019 dialogue); this module covers the review."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from questions.models import Question

pytestmark = pytest.mark.django_db

ITEM = re.compile(r"^(\d+)\.\s+(.*)$")
CITATION = re.compile(r"\s*(Source: article,|The article's slip:) paragraph \d+ \([^()]*\)\.$")
LETTER = re.compile(r"\(([a-d])\)")
# The old bank used one option set for all fourteen three-statement questions; UPSC varies them.
MOST_QUESTIONS_SHARING_ONE_OPTION_SET = 3
COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4}
# "Memorandum" alone is the DIU-DIO-iDEX Memorandum of Intent; LEMOA and CISMOA are Memoranda "of
# Agreement".
MEMORANDUM_OF_INTENT = re.compile(r"\bMemorandum\b(?! of Agreement)")
NOT_THE_FIRST_DIALOGUE = re.compile(r"\bsecond\b|2019|December|Washington", re.IGNORECASE)
# Words every question of this bank may share with its key without giving it away.
COMMON_WORDS = {"india", "indian", "united", "states", "defence"}


@pytest.fixture
def bank(db):
    call_command("loaddata", "article_source", "article_bank", verbosity=0)
    return list(Question.objects.prefetch_related("choices").order_by("pk"))


def options(question):
    return sorted(question.choices.all(), key=lambda c: c.position)


def key(question):
    return next(c for c in question.choices.all() if c.is_correct)


def items(question):
    """The numbered statements or pairs of the stem, by number."""
    found = (ITEM.match(line) for line in question.stem.splitlines())
    return {int(m.group(1)): m.group(2) for m in found if m}


def lead_in(question):
    return [line for line in question.stem.splitlines() if not ITEM.match(line)]


def asks_for_a_count(question):
    return "How many" in question.stem


def asks_which_are_not_correct(question):
    return "not correct" in question.stem


def numbers_named(option_text):
    """The statements or pairs an option of a "which of ..." question names."""
    if option_text.startswith(("Neither", "None")):
        return set()
    if option_text.startswith("Both"):
        return {1, 2}
    return {int(n) for n in re.findall(r"\d+", option_text)}


def true_items(question, option_text):
    """Which numbered items are true if `option_text` is the right answer ("which of" questions)."""
    named = numbers_named(option_text)
    return set(items(question)) - named if asks_which_are_not_correct(question) else named


def true_count(question):
    """How many of the question's numbered items its key says are true."""
    text = key(question).text
    if asks_for_a_count(question):
        if text.startswith("None"):
            return 0
        if text.startswith("All"):
            return len(items(question))
        return COUNTS[text.split()[1]]
    return len(true_items(question, text))


def statement_questions(bank):
    return [q for q in bank if q.style == Question.Style.STATEMENTS]


def three_statement_questions(bank):
    return [q for q in statement_questions(bank) if len(items(q)) == 3]


def sentences(text):
    """The explanation's sentences, its closing citation left out."""
    body = CITATION.sub("", text.strip())
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", body) if s.strip()]


def words(text):
    return {
        w.replace("defense", "defence") for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 5
    }


def test_the_bank_keeps_its_fifty_questions(bank):
    pks = {q.pk for q in bank}
    assert len(bank) >= 50
    assert set(range(1, 51)) <= pks  # quizzes and past attempts refer to these


def test_at_least_forty_percent_are_statement_questions(bank):
    assert len(statement_questions(bank)) >= 0.4 * len(bank)


def test_each_question_has_exactly_one_correct_option(bank):
    wrong = {q.pk: n for q in bank if (n := sum(c.is_correct for c in q.choices.all())) != 1}
    assert wrong == {}


def test_three_statement_questions_do_not_all_offer_the_same_options(bank):
    option_sets = Counter(
        tuple(c.text for c in options(q)) for q in three_statement_questions(bank)
    )
    most = option_sets.most_common(1)[0]
    assert most[1] <= MOST_QUESTIONS_SHARING_ONE_OPTION_SET, most


def test_the_number_of_true_statements_varies(bank):
    """Some three-statement questions have none true, some one, some all three, and no one count
    is the rule: when nearly every question has exactly one false statement, learners learn that
    instead of the facts."""
    counts = Counter(true_count(q) for q in three_statement_questions(bank))
    assert {0, 1, 3} <= set(counts), counts
    assert counts.most_common(1)[0][1] <= len(three_statement_questions(bank)) / 2, counts


def test_no_single_statement_decides_the_answer(bank):
    """Knowing whether any one statement (or pair) is true must leave at least two options open;
    otherwise spotting one false statement gives the answer without knowing the others."""
    decided = []
    for question in bank:
        numbered = items(question)
        if question.style == Question.Style.DIRECT or not numbered or asks_for_a_count(question):
            continue
        keyed = true_items(question, key(question).text)
        for n in numbered:
            still_open = [
                c.letter
                for c in options(question)
                if (n in true_items(question, c.text)) == (n in keyed)
            ]
            if len(still_open) < 2:
                decided.append((question.pk, n, still_open))
    assert decided == []


def test_the_memorandum_of_intent_is_dated_to_the_first_dialogue(bank):
    """The ministers welcomed the DIU-DIO-iDEX Memorandum of Intent at the first 2+2 dialogue (New
    Delhi, September 2018). Nothing the bank teaches may put it at the second (Washington DC,
    December 2019); only a sentence reporting what the article says may give the article's 2019."""
    misdated, dated_right = [], []
    for question in bank:
        texts = question.stem.splitlines() + [c.text for c in options(question)]
        texts += sentences(question.explanation)
        for text in texts:
            for part in re.split(r"[;\n]", text):
                if not MEMORANDUM_OF_INTENT.search(part) or "article" in part:
                    continue
                if NOT_THE_FIRST_DIALOGUE.search(part):
                    misdated.append((question.pk, part.strip()))
                elif re.search(r"\bfirst\b", part):
                    dated_right.append(question.pk)
    assert misdated == []
    assert dated_right  # and some explanation says when it was welcomed


def reasons_given(explanation, letter):
    """What the explanation says after each mention of option `letter`, up to the next option
    letter or the end of the sentence."""
    for sentence in sentences(explanation):
        for mention in re.finditer(rf"\({letter}\)", sentence):
            rest = sentence[mention.end() :]
            following = LETTER.search(rest)
            yield rest[: following.start()] if following else rest


def test_every_wrong_option_is_dismissed_with_a_reason(bank):
    """A direct question's options are separate facts, so each wrong one needs a reason of its own:
    "(b) NASA and (c) the CIA are not the agency named in BECA" gives (b) none. Statement and pair
    questions may dismiss several options at once, for the statements or pairs they get wrong."""
    unexplained = []
    for question in bank:
        for choice in options(question):
            if choice.is_correct:
                continue
            letter = choice.letter.lower()
            reasons = list(reasons_given(question.explanation, letter))
            if question.style == Question.Style.DIRECT:
                explained = any(len(reason.split()) >= 5 for reason in reasons)
            else:
                explained = any(
                    re.search(r"\b(statement|pair)s?\b", s)
                    for s in sentences(question.explanation)
                    if f"({letter})" in s
                )
            if not explained:
                unexplained.append((question.pk, letter))
    assert unexplained == []


def test_reciprocal_logistics_is_a_distractor_at_most_once(bank):
    """Reciprocal logistics support is LEMOA's. Pinned on another instrument it is a distractor,
    and a distractor met three times stops testing anything."""
    uses = []
    for question in bank:
        about_lemoa = any("LEMOA" in line for line in lead_in(question))
        for text in list(items(question).values()) + [c.text for c in options(question)]:
            if "reciprocal" in text.lower() and "LEMOA" not in text and not about_lemoa:
                uses.append((question.pk, text))
    assert len(uses) <= 1, uses


def test_a_direct_question_key_does_not_echo_its_stem(bank):
    """A word the stem and the key share, and no wrong option has, points at the key."""
    echoes = []
    for question in bank:
        if question.style != Question.Style.DIRECT:
            continue
        wrong = set().union(*(words(c.text) for c in options(question) if not c.is_correct))
        shared = (words(key(question).text) & words(question.stem)) - wrong - COMMON_WORDS
        if shared:
            echoes.append((question.pk, sorted(shared)))
    assert echoes == []


# The article's own slips in names, with the official form the bank teaches instead.
MISNAMED_BY_THE_ARTICLE = {
    "Innovation for Defence Excellence": "Innovations for Defence Excellence",
    "Defence Innovation Organization": "Defence Innovation Organisation",
}


def test_the_bank_uses_official_names_not_the_articles_slips(bank):
    """iDEX is "Innovations for Defence Excellence" and DIO the "Defence Innovation Organisation";
    the article writes both otherwise, and a question quoting it would teach the slip."""
    slips = [
        (question.pk, slip)
        for question in bank
        for text in [question.stem, question.explanation] + [c.text for c in options(question)]
        for slip in MISNAMED_BY_THE_ARTICLE
        if slip in text
    ]
    assert slips == []
    named = [c.text for question in bank for c in options(question) if "DIO-iDEX" in c.text]
    assert named and all(official in text for text in named for official in MISNAMED_BY_THE_ARTICLE.values())


def test_a_key_is_not_the_only_option_spelt_another_way(bank):
    """Organization among Organisations marks the key as the odd one out."""
    odd_keys = []
    for question in bank:
        spellings = {c.pk: ("Organization" in c.text, "Organisation" in c.text) for c in options(question)}
        american = [pk for pk, (us, _) in spellings.items() if us]
        british = [pk for pk, (_, uk) in spellings.items() if uk]
        if american == [key(question).pk] and british:
            odd_keys.append(question.pk)
    assert odd_keys == []
