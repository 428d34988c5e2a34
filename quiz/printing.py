"""A quiz as a printed paper: its questions and options numbered and lettered, then the answer
key with explanations. The questions are those one attempt would get, drawn by the same rule
(`services.draw_attempt`: published questions, one of each giveaway group, options shuffled
where the quiz shuffles them), with a generator seeded by the quiz: every print of a quiz is
the same paper, so a key printed on Monday still fits the paper printed on Tuesday.

It holds the key: who may print it is decided by the view (teaching.views.print_paper), never
a learner."""

import random
from dataclasses import dataclass

from questions.models import LETTERS, Choice, Question
from quiz.models import Quiz
from quiz.services import draw_attempt

PRINT_SEED = "printed-paper"


@dataclass(frozen=True)
class PrintedOption:
    letter: str
    text: str
    is_correct: bool


@dataclass(frozen=True)
class PrintedQuestion:
    number: int
    question: Question
    options: list[PrintedOption]

    @property
    def key(self) -> PrintedOption | None:
        return next((o for o in self.options if o.is_correct), None)


@dataclass(frozen=True)
class PrintedPaper:
    quiz: Quiz
    questions: list[PrintedQuestion]

    @property
    def seconds_allowed(self) -> int:
        return len(self.questions) * self.quiz.seconds_per_question

    @property
    def max_score(self):
        return len(self.questions) * self.quiz.marks_correct


def printed_paper(quiz: Quiz) -> PrintedPaper:
    """The quiz's paper in its print order. Raises QuizError when it has no published
    questions. Four queries for any number of questions (two more for a random draw)."""
    draw = draw_attempt(quiz, random.Random(f"{PRINT_SEED}:{quiz.pk}"))
    questions = Question.objects.select_related("source", "passage").in_bulk(draw.question_ids)
    choices = Choice.objects.in_bulk([cid for order in draw.option_orders.values() for cid in order])
    printed = []
    for number, question_id in enumerate(draw.question_ids, start=1):
        options = [
            PrintedOption(LETTERS[place], choices[cid].text, choices[cid].is_correct)
            for place, cid in enumerate(draw.option_orders[question_id])
        ]
        printed.append(PrintedQuestion(number, questions[question_id], options))
    return PrintedPaper(quiz, printed)
