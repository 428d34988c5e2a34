"""Fill a database with learners who have taken quizzes, for benchmarks and for trying the
reports on real volumes: `manage.py seed_demo --learners 10000 --attempts 20000` writes 10,000
learners and 200,000 responses (20,000 finished attempts of 10-question quizzes).

With `--class-size N` the learners are also split into classes of N (in username order; the
last class takes the rest), each run by its own demo teacher and assigned every demo quiz, so
the teachers' reports have something to show. A class of 1,000 learners on a 100-question
quiz, each with one finished attempt:

    manage.py seed_demo --learners 1000 --attempts 1000 --questions 100 --quizzes 1 --class-size 1000

Everything is written with bulk inserts. Questions come from the article bank
(questions/fixtures), loaded if the database has none; synthetic questions make up the rest
when a quiz needs more than the bank holds.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.roles import TEACHERS_GROUP
from questions.models import Choice, Question, Source, Topic
from questions.text import stem_fingerprint
from quiz import scoring
from quiz.models import Attempt, Quiz, QuizQuestion, Response
from teaching.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Assignment,
    Classroom,
    Membership,
)

Outcome = Response.Outcome
USERNAME_PREFIX = "demo-"
TEACHER_PREFIX = "demo-teacher-"
QUIZ_SLUG_PREFIX = "demo-quiz-"
SYNTHETIC_SOURCE_SLUG = "demo-synthetic-source"
# Exactly the names this command gives, never a prefix: anyone may sign up as "demo-ravi", and
# an editor may name a quiz "demo-quiz-basics"; --reset must not delete them.
SEEDED_LEARNER = r"^demo-[0-9]{5,}$"
SEEDED_USER = r"^demo-([0-9]{5,}|teacher-[0-9]+)$"
SEEDED_QUIZ = r"^demo-quiz-[0-9]+$"
ATTEMPTS_PER_BATCH = 1000


class Command(BaseCommand):
    help = "Create demo learners with finished attempts and their responses, in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True, help="How many learners.")
        parser.add_argument(
            "--attempts",
            type=int,
            required=True,
            help="How many finished attempts in all, spread over the learners.",
        )
        parser.add_argument(
            "--questions", type=int, default=10, help="Questions per demo quiz (default 10)."
        )
        parser.add_argument(
            "--quizzes", type=int, default=5, help="How many demo quizzes (default 5)."
        )
        parser.add_argument(
            "--class-size",
            type=int,
            default=0,
            help="Split the learners into classes of this many, each with a demo teacher and "
            "every demo quiz assigned (default 0: no classes).",
        )
        parser.add_argument(
            "--password",
            default="demo-learner-2026",
            help="Every demo learner's and demo teacher's password.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete earlier demo learners and quizzes first."
        )

    def handle(
        self,
        *args,
        learners,
        attempts,
        questions,
        quizzes,
        class_size,
        password,
        seed,
        reset,
        **options,
    ):
        if learners < 1 or attempts < 0 or questions < 1 or quizzes < 1 or class_size < 0:
            raise CommandError(
                "--learners, --questions and --quizzes must be at least 1; --attempts and "
                "--class-size at least 0."
            )
        users = get_user_model()
        demo_users = users.objects.filter(username__regex=SEEDED_USER)
        if reset:
            self._reset(demo_users)
        elif demo_users.exists() or Quiz.objects.filter(slug__regex=SEEDED_QUIZ).exists():
            raise CommandError("Demo data exists already; run with --reset to replace it.")

        rng = random.Random(seed)
        started = time.monotonic()
        bank = self._question_bank(questions, rng)
        demo_quizzes = self._quizzes(bank, quizzes, questions, rng)
        learner_ids = self._learners(learners, password, rng)
        responses = self._attempts(learner_ids, demo_quizzes, attempts, rng)
        classes = (
            self._classes(learner_ids, class_size, demo_quizzes, password, rng)
            if class_size
            else []
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Seeded {learners} learners, {len(demo_quizzes)} quizzes of {questions} questions, "
            f"{attempts} attempts and {responses} responses"
            + (f", {len(classes)} classes" if classes else "")
            + f" in {elapsed:.1f} s."
        )
        self.stdout.write(
            f"Learners log in as {USERNAME_PREFIX}00001 … with password {password!r}."
        )
        for classroom in classes:
            self.stdout.write(
                f"Class {classroom.name!r} (join code {classroom.join_code}): teacher "
                f"{classroom.teacher.username}, {classroom.size} learners."
            )

    # --- the pieces -------------------------------------------------------------------------

    def _reset(self, demo_users):
        demo_attempts = Attempt.objects.filter(user__in=demo_users) | Attempt.objects.filter(
            quiz__slug__regex=SEEDED_QUIZ
        )
        with transaction.atomic():
            # Responses first, in one statement: left to the cascade, Django would load them.
            Response.objects.filter(attempt__in=demo_attempts).delete()
            demo_attempts.delete()
            # Only the demo teachers' classes go; a real class that was assigned a demo quiz
            # loses that assignment (it protects the quiz) and keeps its learners.
            Membership.objects.filter(classroom__teacher__in=demo_users).delete()
            Assignment.objects.filter(quiz__slug__regex=SEEDED_QUIZ).delete()
            Classroom.objects.filter(teacher__in=demo_users).delete()
            Quiz.objects.filter(slug__regex=SEEDED_QUIZ).delete()
            demo_users.delete()

    def _question_bank(self, needed: int, rng: random.Random) -> list[int]:
        """Ids of published questions, at least `needed` of them, with four options each."""
        if not Question.objects.published().exists():
            try:
                call_command("loaddata", "article_source", "article_bank", verbosity=0)
            except CommandError as error:  # the bank's fixtures are not there: synthetic only
                self.stderr.write(f"No article bank loaded ({error}); using synthetic questions.")
        ids = list(Question.objects.published().order_by("id").values_list("id", flat=True))
        if len(ids) < needed:
            ids += self._synthetic_questions(needed - len(ids))
        return ids

    def _synthetic_questions(self, count: int) -> list[int]:
        source, _ = Source.objects.get_or_create(
            slug=SYNTHETIC_SOURCE_SLUG, defaults={"title": "Synthetic demo questions"}
        )
        topic, _ = Topic.objects.get_or_create(slug="demo", defaults={"name": "Demo"})
        start = Question.objects.filter(source=source).count()
        made = []
        for n in range(start, start + count):
            stem = f"Synthetic question {n + 1}: which statement about scheme {n + 1} is correct?"
            made.append(
                Question(
                    source=source,
                    topic=topic,
                    stem=stem,
                    stem_key=stem_fingerprint(stem),  # bulk_create skips the pre_save receiver
                    explanation=f"Option (a) is right: scheme {n + 1} was notified that year.",
                    status=Question.Status.PUBLISHED,
                )
            )
        made = Question.objects.bulk_create(made, batch_size=500)
        Choice.objects.bulk_create(
            (
                Choice(
                    question=q,
                    position=i,
                    text=f"Statement {letter} about {q.stem[:24]}",
                    is_correct=i == 0,
                )
                for q in made
                for i, letter in enumerate("ABCD")
            ),
            batch_size=2000,
        )
        return [q.pk for q in made]

    def _quizzes(self, bank: list[int], count: int, size: int, rng: random.Random) -> list[dict]:
        """Fixed quizzes of `size` questions; each dict carries what the attempts need."""
        choices: dict[int, list[tuple[int, bool]]] = {}
        for question_id, choice_id, is_correct in (
            Choice.objects.filter(question_id__in=bank)
            .order_by("question_id", "position")
            .values_list("question_id", "id", "is_correct")
        ):
            choices.setdefault(question_id, []).append((choice_id, is_correct))
        usable = [qid for qid in bank if any(right for _, right in choices.get(qid, []))]
        if len(usable) < size:
            raise CommandError(
                f"Only {len(usable)} questions have a right option; --questions asks for {size}."
            )
        made = []
        for n in range(count):
            quiz = Quiz.objects.create(
                title=f"Demo quiz {n + 1}",
                slug=f"{QUIZ_SLUG_PREFIX}{n + 1}",
                description="Seeded for benchmarks and reports.",
                feedback=Quiz.Feedback.END if n % 2 else Quiz.Feedback.EACH,
                shuffle_questions=False,
                is_published=True,
            )
            picked = rng.sample(usable, size)
            QuizQuestion.objects.bulk_create(
                QuizQuestion(quiz=quiz, question_id=qid, position=i) for i, qid in enumerate(picked)
            )
            made.append({"quiz": quiz, "questions": [(qid, choices[qid]) for qid in picked]})
        return made

    def _learners(self, count: int, password: str, rng: random.Random) -> list[int]:
        # One hash for all: hashing 10,000 passwords would take minutes, and they share one.
        hashed = make_password(password)
        users = get_user_model()
        joined = timezone.now() - timedelta(days=60)
        batch = [
            users(
                username=f"{USERNAME_PREFIX}{n:05d}",
                email=f"{USERNAME_PREFIX}{n:05d}@example.com",
                password=hashed,
                date_joined=joined + timedelta(minutes=rng.randrange(60 * 24 * 30)),
            )
            for n in range(1, count + 1)
        ]
        users.objects.bulk_create(batch, batch_size=2000)
        return list(
            users.objects.filter(username__regex=SEEDED_LEARNER)
            .order_by("username")
            .values_list("id", flat=True)
        )

    def _classes(
        self,
        learner_ids: list[int],
        size: int,
        quizzes: list[dict],
        password: str,
        rng: random.Random,
    ) -> list[Classroom]:
        """Classes of `size` learners in username order, the last one taking the rest, each
        with its own teacher (in the Teachers group) and every demo quiz assigned."""
        groups = [learner_ids[i : i + size] for i in range(0, len(learner_ids), size)]
        users = get_user_model()
        hashed = make_password(password)
        teachers = users.objects.bulk_create(
            users(
                username=f"{TEACHER_PREFIX}{n}",
                email=f"{TEACHER_PREFIX}{n}@example.com",
                first_name="Demo",
                last_name=f"Teacher {n}",
                password=hashed,
            )
            for n in range(1, len(groups) + 1)
        )
        teachers = list(
            users.objects.filter(username__in=[t.username for t in teachers]).order_by("id")
        )
        teachers_group = Group.objects.get_or_create(name=TEACHERS_GROUP)[0]
        teachers_group.user_set.add(*teachers)
        # Codes from the seeded generator: the same seed, the same codes to type.
        codes: list[str] = []
        while len(codes) < len(groups):
            code = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            if code not in codes:
                codes.append(code)
        with transaction.atomic():
            Classroom.objects.bulk_create(
                Classroom(teacher=teacher, name=f"Demo class {n}", join_code=code)
                for n, (teacher, code) in enumerate(zip(teachers, codes, strict=True), start=1)
            )
            classes = list(
                Classroom.objects.filter(join_code__in=codes).select_related("teacher").order_by("pk")
            )
            Membership.objects.bulk_create(
                (
                    Membership(classroom=classroom, learner_id=learner_id)
                    for classroom, members in zip(classes, groups, strict=True)
                    for learner_id in members
                ),
                batch_size=2000,
            )
            # Joined after signing up (30 to 60 days ago) and before the seeded attempts (from
            # 30 days ago on); auto_now_add stamps "now" on insert, so one UPDATE moves it back.
            Membership.objects.filter(classroom__in=classes).update(
                joined_at=timezone.now() - timedelta(days=30)
            )
            Assignment.objects.bulk_create(
                Assignment(classroom=classroom, quiz=entry["quiz"])
                for classroom in classes
                for entry in quizzes
            )
        for classroom, members in zip(classes, groups, strict=True):
            classroom.size = len(members)
        return classes

    def _attempts(
        self, learner_ids: list[int], quizzes: list[dict], count: int, rng: random.Random
    ) -> int:
        """`count` finished attempts, round robin over the learners, each with one response per
        question and totals that agree with its responses. Returns how many responses."""
        # Each learner has a skill: the chance of a right answer when they answer.
        skill = {uid: rng.uniform(0.35, 0.85) for uid in learner_ids}
        now = timezone.now()
        written = 0
        for first in range(0, count, ATTEMPTS_PER_BATCH):
            batch = range(first, min(count, first + ATTEMPTS_PER_BATCH))
            plans = [
                self._plan(learner_ids[k % len(learner_ids)], rng.choice(quizzes), skill, now, rng)
                for k in batch
            ]
            with transaction.atomic():
                made = Attempt.objects.bulk_create(
                    [attempt for attempt, _ in plans], batch_size=500
                )
                rows = []
                for attempt, (_, answers) in zip(made, plans, strict=True):
                    for response in answers:
                        response.attempt_id = attempt.pk
                        rows.append(response)
                Response.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
        # Round robin over random start times: which attempt is each learner's first sitting
        # of a quiz is known only once all are written.
        Attempt.objects.filter(quiz__in=[entry["quiz"] for entry in quizzes]).mark_first_sittings()
        return written

    def _plan(self, user_id: int, entry: dict, skill: dict, now, rng: random.Random):
        """One finished attempt and its responses, not yet saved."""
        quiz: Quiz = entry["quiz"]
        spq = quiz.seconds_per_question
        started_at = now - timedelta(days=30) + timedelta(seconds=rng.randrange(29 * 24 * 3600))
        attempt = Attempt.starting(quiz, None, started_at, len(entry["questions"]))
        attempt.user_id = user_id
        marks = {o: attempt.marks_for(o) for o in scoring.COUNTER}
        shown_at = started_at
        responses = []
        for position, (question_id, options) in enumerate(entry["questions"]):
            deadline = shown_at + timedelta(seconds=spq)
            roll = rng.random()
            if roll < 0.04:
                outcome, choice_id, answered_at = Outcome.TIMED_OUT, None, deadline
            elif roll < 0.12:
                outcome, choice_id, answered_at = (
                    Outcome.SKIPPED,
                    None,
                    shown_at + timedelta(seconds=rng.uniform(2, spq)),
                )
            else:
                right = rng.random() < skill[user_id]
                pool = [cid for cid, is_correct in options if is_correct == right] or [
                    options[0][0]
                ]
                choice_id = rng.choice(pool)
                outcome = Outcome.CORRECT if right else Outcome.WRONG
                answered_at = shown_at + timedelta(seconds=rng.uniform(3, spq))
            counter = scoring.counter_for(outcome)
            setattr(attempt, counter, getattr(attempt, counter) + 1)
            attempt.score += marks[outcome]
            responses.append(
                Response(
                    question_id=question_id,
                    position=position,
                    option_order=[cid for cid, _ in options],
                    shown_at=shown_at,
                    deadline=deadline,
                    answered_at=answered_at,
                    choice_id=choice_id,
                    outcome=outcome,
                    marks=marks[outcome],
                )
            )
            shown_at = answered_at + timedelta(seconds=rng.uniform(1, 6))
        attempt.finished_at = responses[-1].answered_at
        return attempt, responses
