"""Shape attempt rows into what the templates show, loading options in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable

from questions.models import LETTERS, Choice
from quiz.models import Response
from quiz.services import choices_by_id


class ShownOption:
    """An option as this learner sees it: lettered by its place in the attempt's order."""

    def __init__(self, choice: Choice, index: int, reveal: bool):
        self.id = choice.id
        self.text = choice.text
        self.letter = LETTERS[index]
        self.key = str(index + 1)
        # None until the question is closed: the answer key is not there to print.
        self.is_correct = choice.is_correct if reveal else None


def attach_options(responses: Iterable[Response], choices: dict[int, Choice] | None = None) -> None:
    """Give each response `.options` in its stored order, with one query for all of them.

    Only closed questions are told which option is right (`correct_option`); an open
    question's options carry no flag a template could print.
    """
    responses = [r for r in responses if r is not None]
    by_id = choices if choices is not None else choices_by_id(responses)
    for response in responses:
        reveal = not response.is_open
        options = [ShownOption(by_id[cid], i, reveal) for i, cid in enumerate(response.option_order) if cid in by_id]
        response.options = options
        response.chosen_option = next((o for o in options if o.id == response.choice_id), None)
        response.correct_option = next((o for o in options if o.is_correct), None)


def outcome_counts(responses: Iterable[Response]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for response in responses:
        counts[response.outcome] += 1
    return counts
