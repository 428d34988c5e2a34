"""Shape attempt rows into what the templates show, from the rows and options a service read.

What a closed question's review says (its verdict, its marks with their sign, the seconds it
took, which option was the learner's) is worked out here once, not in the template: the result
page reviews every question of an attempt, and Django's template language spent most of that
page's time comparing and formatting these values (docs/benchmarks.md).
"""

from collections import defaultdict
from collections.abc import Iterable

from questions.models import LETTERS, Choice
from quiz.models import Response
from quiz.templatetags.quiz_format import normalize
from django.utils.translation import gettext, gettext_lazy as _, pgettext


# The confidence marks offered with an answer, and the key that picks each (static/js/quiz.js).
CONFIDENCE_LEVELS = [
    (Response.Confidence.SURE, _("Sure"), "S"),
    (Response.Confidence.FIFTY, _("50-50"), "F"),
    (Response.Confidence.GUESS, _("Guess"), "G"),
]


class ShownOption:
    """An option as this learner sees it: lettered by its place in the attempt's order."""

    def __init__(self, choice: Choice, index: int, reveal: bool, chosen: bool, saved: bool = False):
        self.text = choice.text
        self.letter = LETTERS[index]
        # What the radio sends and the keyboard picks, in both modes: its place in this
        # learner's order. Never the option's id, which follows the order options were imported
        # in; no id is kept here for a template to print.
        self.key = str(index + 1)
        # None until the question is closed: the answer key is not there to print.
        self.is_correct = choice.is_correct if reveal else None
        self.is_chosen = chosen
        # The answer saved so far in an open paper (its radio is checked).
        self.is_saved = saved


def attach_options(responses: Iterable[Response], choices: dict[int, Choice]) -> None:
    """Give each response `.options` in its stored order, from `choices` (the options the
    service read, by id), and each closed one what its review shows.

    Only closed questions' options say which is right (`is_correct`); an open question's
    options carry no flag a template could print.
    """
    responses = [r for r in responses if r is not None]
    source_urls: dict[int, str] = {}
    for response in responses:
        reveal = not response.is_open
        options = [
            ShownOption(choices[cid], i, reveal, cid == response.choice_id, cid == response.saved_choice_id)
            for i, cid in enumerate(response.option_order)
            if cid in choices
        ]
        response.options = options
        response.chosen_option = next((o for o in options if o.is_chosen), None)
        # None while the question is open: is_correct is not set then.
        response.right_option = next((o for o in options if o.is_correct), None)
        if reveal:
            attach_review(response, source_urls)


def hold_keys(responses: Iterable[Response], held: dict) -> None:
    """Take the key, the verdict and the explanation off each response whose key is held back
    (quiz/key_holds.py): `response.hold` says why, and nothing a template could print of the
    answer is left on it."""
    for response in responses:
        response.hold = held.get(response.question_id)
        if response.hold is None:
            continue
        for option in response.options:
            option.is_correct = None
        response.right_option = None
        response.verdict = response.signed_marks = ""


def time_note(outcome: str, seconds_shown: str | None) -> str:
    """What the review says of a closed question's time: only an answer was "answered"."""
    if outcome == Response.Outcome.TIMED_OUT:
        return gettext("Time ran out")
    if seconds_shown is None:
        return ""
    if outcome == Response.Outcome.SKIPPED:
        return gettext("Skipped after %(seconds)s s") % {"seconds": seconds_shown}
    return gettext("Answered in %(seconds)s s") % {"seconds": seconds_shown}


def attach_review(response: Response, source_urls: dict[int, str]) -> None:
    """What the review of a closed question prints besides its options. `source_urls`: the
    source pages' addresses already worked out for this page, one URL reverse per source."""
    response.verdict = response.get_outcome_display()
    response.signed_marks = ("+" if response.marks > 0 else "") + normalize(response.marks)
    seconds = response.seconds_taken
    response.seconds_shown = None if seconds is None else f"{seconds:.1f}"
    # The review's labels, translated here once rather than by a blocktranslate per question
    # in the template: the result page reviews every question of the attempt.
    response.heading_label = gettext("Question %(number)s") % {"number": response.number}
    response.short_label = pgettext("question number", "Q%(number)s") % {"number": response.number}
    response.seconds_label = None if seconds is None else gettext("%(seconds)s s") % {"seconds": response.seconds_shown}
    if response.attempt.is_paper:
        response.time_note = (
            gettext("On screen for %(seconds)s s") % {"seconds": response.seconds_shown}
            if response.seconds_shown
            else gettext("Not seen")
        )
        response.submitted_as_time_ran_out = False
    else:
        response.time_note = time_note(response.outcome, response.seconds_shown)
        # An option closed at or after the deadline was the one selected when the clock ran
        # out (the browser submits it then), or an answer that arrived within the grace.
        response.submitted_as_time_ran_out = response.choice_id is not None and response.answered_at >= response.deadline
    passage = response.question.passage
    if passage is None:
        response.passage_url = None
        return
    if passage.source_id not in source_urls:
        source_urls[passage.source_id] = passage.source.get_absolute_url()
    response.passage_url = passage.url_within(source_urls[passage.source_id])


# The result page's review filters (?show=...): which outcomes each shows, in the order of its links.
REVIEW_FILTERS = {
    "wrong": (_("Wrong"), {Response.Outcome.WRONG}),
    "unanswered": (_("Skipped or timed out"), {Response.Outcome.SKIPPED, Response.Outcome.TIMED_OUT}),
    "right": (_("Right"), {Response.Outcome.CORRECT}),
    "all": (_("All"), None),
}


def review_filter(show: str | None) -> str:
    """The filter a ?show= value names; anything else shows them all."""
    return show if show in REVIEW_FILTERS else "all"


def _outcome_shown(response: Response) -> str | None:
    """The outcome the review may show: none while the question's key is held back."""
    return None if getattr(response, "hold", None) else response.outcome


def filter_links(responses: list[Response], chosen: str) -> list[dict]:
    """The filters with how many questions each shows, and which is on screen. A question whose
    key is held back is only under All: being under Wrong or Right would say its verdict."""
    links = []
    for key, (label, outcomes) in REVIEW_FILTERS.items():
        count = len(responses) if outcomes is None else sum(_outcome_shown(r) in outcomes for r in responses)
        links.append({"key": key, "label": label, "count": count, "current": key == chosen})
    return links


def filtered(responses: list[Response], chosen: str) -> list[Response]:
    outcomes = REVIEW_FILTERS[chosen][1]
    return responses if outcomes is None else [r for r in responses if _outcome_shown(r) in outcomes]


def outcome_counts(responses: Iterable[Response]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for response in responses:
        counts[response.outcome] += 1
    return counts
