"""Presets an editor picks in the quiz admin: the timing, seconds and feedback of a daily drill
or of a mock paper at UPSC prelims pace (100 questions in 120 minutes: 72 s a question)."""

from dataclasses import dataclass

from quiz.models import Quiz


@dataclass(frozen=True)
class Preset:
    label: str
    seconds_per_question: int
    timing: str
    feedback: str

    def fields(self) -> dict:
        return {"seconds_per_question": self.seconds_per_question, "timing": self.timing, "feedback": self.feedback}


PRESETS = {
    "daily-drill": Preset("Daily drill: 19 s a question, answers after each", 19, Quiz.Timing.QUESTION, Quiz.Feedback.EACH),
    "upsc-prelims": Preset(
        "UPSC prelims pace: 72 s a question as one paper clock, answers at the end", 72, Quiz.Timing.PAPER, Quiz.Feedback.END
    ),
}
