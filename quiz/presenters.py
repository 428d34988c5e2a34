"""Shape attempt rows into what the templates show, loading options in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable

from questions.models import LETTERS, Choice
from quiz.models import Response


class ShownOption:
    """An option as this learner sees it: lettered by its place in the attempt's order."""

    def __init__(self, choice: Choice, index: int):
        self.choice = choice
        self.id = choice.id
        self.text = choice.text
        self.letter = LETTERS[index]
        self.key = str(index + 1)

    @property
    def is_correct(self) -> bool:
        return self.choice.is_correct


def attach_options(responses: Iterable[Response]) -> None:
    """Give each response `.options` in its stored order, with one query for all of them.

    Only closed questions learn which option is right: an open one's options are loaded
    without `is_correct`, so no template can leak the key by mistake.
    """
    responses = [r for r in responses if r is not None]
    ids = [cid for r in responses for cid in r.option_order]
    by_id = {c.id: c for c in Choice.objects.filter(pk__in=ids).only("id", "text", "is_correct")}
    for response in responses:
        options = [ShownOption(by_id[cid], i) for i, cid in enumerate(response.option_order) if cid in by_id]
        response.options = options
        response.chosen_option = next((o for o in options if o.id == response.choice_id), None)
        response.correct_option = None if response.is_open else next((o for o in options if o.is_correct), None)


def outcome_counts(responses: Iterable[Response]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for response in responses:
        counts[response.outcome] += 1
    return counts
