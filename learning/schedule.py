"""When a card in the mistakes notebook comes back: FSRS (the `fsrs` package) on each answer,
with the rating read from the answer's outcome and how sure the learner said they were. Pure:
no database.

The notebook is revised a day at a time, so there are no learning steps of minutes: a mistake
made today comes back tomorrow at the earliest. Fuzzing is off, so a due date is the same on
every server and in every test.
"""

from dataclasses import dataclass
from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quiz.models import Response

Outcome, Confidence = Response.Outcome, Response.Confidence

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)

# A right answer's rating by how sure the learner was; no mark counts as Good.
RIGHT_RATING = {
    Confidence.GUESS: Rating.Hard,
    Confidence.FIFTY: Rating.Good,
    "": Rating.Good,
    Confidence.SURE: Rating.Easy,
}


def rating_for(outcome: str, confidence: str) -> Rating:
    """Wrong, timed out or skipped (not recalled) is Again; a right answer is Hard when
    guessed, Good at 50-50 or unmarked, Easy when sure."""
    if outcome == Outcome.CORRECT:
        return RIGHT_RATING[confidence]
    return Rating.Again


@dataclass(frozen=True)
class Memory:
    """A card's FSRS state, as the Card model stores it."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def new_memory(now: datetime) -> Memory:
    """A card never reviewed, due at once (added by hand: "Revise this later")."""
    return Memory(State.Learning.value, 0, None, None, now, None)


def review(memory: Memory, rating: Rating, when: datetime) -> Memory:
    """The card's state after an answer rated `rating` at `when`."""
    card = FsrsCard(
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )
    card, _ = SCHEDULER.review_card(card, rating, when)
    return Memory(card.state.value, card.step, card.stability, card.difficulty, card.due, card.last_review)
