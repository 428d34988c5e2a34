"""Workflows of a paper (a quiz timed per paper: one deadline for the whole attempt, questions in
any order, answers changed until the end), one call per learner request: `sheet`, `save`,
`summary`, `submit`; and `close_overdue`, which every page that lists or reports attempts
calls first. Reads and writes go through the private quiz/paper_store.py.

The server owns the paper's clock: its deadline is stored when the attempt starts (the
learner's time factor applied). An answer saved by the deadline plus `ANSWER_GRACE_SECONDS`
counts. The paper is closed and marked when the learner submits it or, at the latest, the
first time anything reads it after the deadline plus grace: its page, its result, the
learner's lists, a teacher's report. Until then no key, explanation or score leaves the
server: the options are sent without their flags (presenters.attach_options) and the result
page waits for the close.
"""

from dataclasses import dataclass, field
from datetime import datetime

from questions.models import Choice
from quiz import paper_store
from quiz.models import Attempt, PaletteState, Response
from quiz.paper_store import Save
from quiz.services import AttemptNotFound, InvalidChoice, QuizError
from django.utils.translation import gettext as _

__all__ = ["Save", "sheet", "save", "summary", "submit", "close_overdue", "PaperClosed", "NoSuchQuestion", "PastTheEnd"]


class PaperClosed(QuizError):
    """The paper was submitted or its time ran out: its result is the page to show."""

    status = 409


class NoSuchQuestion(Exception):
    """A question number outside the paper: a 404."""


class PastTheEnd(Exception):
    """The question after the last: where Save & Next on the last question leads (the submit
    page)."""


class NotAPaper(Exception):
    """The attempt is timed per question: its own pages serve it."""


@dataclass
class Sheet:
    """A paper's screen: the attempt, every question for the palette, the one on screen with
    its options by id, and the seconds left on the paper's clock."""

    attempt: Attempt
    palette: list[Response]
    question: Response
    choices: dict[int, Choice]
    seconds_left: float
    counts: dict[str, int] = field(default_factory=dict)


def _open_paper(attempt_id: int, user, now: datetime) -> Attempt:
    """The learner's open paper; closed first if its time ran out while nobody looked."""
    attempt = paper_store.read_attempt(attempt_id, user.pk)
    if attempt is None:
        raise AttemptNotFound()
    if not attempt.is_paper:
        raise NotAPaper()
    if attempt.is_overdue(now):
        paper_store.close(attempt, attempt.deadline)
    if attempt.is_finished:
        raise PaperClosed(_("This paper is closed: it was submitted or its time ran out.")).about(attempt)
    return attempt


def sheet(attempt_id: int, user, number: int, now: datetime, put_on_screen: bool = True) -> Sheet:
    """Question `number` (1-based) of the learner's open paper, put on screen: the question
    that was there is credited with its time on screen, and this one counts as seen. A refused
    save shows it again with `put_on_screen` False: a refused request writes nothing."""
    attempt = _open_paper(attempt_id, user, now)
    palette = paper_store.read_palette(attempt)
    if number == len(palette) + 1:
        raise PastTheEnd()
    if not 1 <= number <= len(palette):
        raise NoSuchQuestion(number)
    on_screen = palette[number - 1]
    if put_on_screen:
        paper_store.show(attempt, on_screen, now)
    question, choices = paper_store.read_question(on_screen)
    return Sheet(attempt, palette, question, choices, attempt.paper_seconds_left(now), state_counts(palette))


def current_number(attempt_id: int, user, now: datetime) -> int:
    """The question to reopen the paper on: the one last on screen, else the first."""
    attempt = _open_paper(attempt_id, user, now)
    return (attempt.on_screen_position or 0) + 1


def save(attempt_id: int, user, answer: Save, now: datetime) -> None:
    """Keep the learner's answer to one question of their paper (None clears it) and whether it
    is marked for review. One statement when it goes through; only a refusal reads more, to
    say why."""
    if paper_store.save(attempt_id, user.pk, answer, now):
        return
    attempt = _open_paper(attempt_id, user, now)
    if not 0 <= answer.position < attempt.question_count:
        raise NoSuchQuestion(answer.position + 1)
    # Open, in time, a question of the paper: what remains is an option it does not have.
    raise InvalidChoice(_("That option is not one of this question's options.")).about(attempt)


@dataclass
class Summary:
    attempt: Attempt
    counts: dict[str, int]
    seconds_left: float


def summary(attempt_id: int, user, now: datetime) -> Summary:
    """What "Submit paper" asks the learner to confirm: how many questions are unanswered or
    marked for review."""
    attempt = _open_paper(attempt_id, user, now)
    return Summary(attempt, state_counts(paper_store.read_palette(attempt)), attempt.paper_seconds_left(now))


def submit(attempt_id: int, user, now: datetime) -> Attempt:
    """Close the learner's paper now and mark it. A second submit (a double tap, another tab)
    finds it closed: `PaperClosed`, whose page is the result all the same."""
    attempt = _open_paper(attempt_id, user, now)
    if not paper_store.close(attempt, now):
        raise PaperClosed(_("This paper was already submitted.")).about(attempt)
    return attempt


def close_overdue(now: datetime, user=None, quiz_id: int | None = None) -> int:
    """Close and mark the open papers (of this learner, or at this quiz) whose time ran out
    while nobody was looking, at their deadline: what a list or a report reads next is their
    result. One query when there is none."""
    ids = paper_store.overdue_ids(now, user_id=user.pk if user is not None else None, quiz_id=quiz_id)
    closed = 0
    for attempt in paper_store.read_attempts(ids) if ids else []:
        closed += paper_store.close(attempt, attempt.deadline)
    return closed


def state_counts(palette: list[Response]) -> dict[str, int]:
    """How many questions are in each palette state, and how many have no answer saved."""
    counts = {state.value: 0 for state in PaletteState}
    for response in palette:
        counts[response.paper_state()] += 1
    counts["unanswered"] = sum(1 for response in palette if response.saved_choice_id is None)
    return counts
