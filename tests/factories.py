"""factory-boy factories for every model. A QuestionFactory builds four options, the first right."""

from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from questions.models import Choice, GiveawayGroup, Passage, Question, Source, Topic
from quiz.models import Attempt, Quiz, QuizQuestion, Response


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Current affairs article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = "Introduction"
    text = factory.Sequence(lambda n: f"Paragraph {n} of the article, with the fact a question asks about.")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    passage = factory.SubFactory(PassageFactory)
    source = factory.LazyAttribute(lambda q: q.passage.source)
    topic = factory.SubFactory(TopicFactory)
    stem = factory.Sequence(lambda n: f"Question {n}: which agreement was signed in year {2000 + n}?")
    explanation = factory.Sequence(lambda n: f"Explanation {n}: the right option is (a) because of the record.")
    status = Question.Status.PUBLISHED

    @factory.post_generation
    def choices(question, create, extracted, **kwargs):
        """Four options; pass `choices=[("text", is_correct), ...]` to choose them."""
        if not create:
            return
        options = extracted or [(f"Q{question.pk} option {letter}", letter == "A") for letter in "ABCD"]
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=text, is_correct=right)
            for i, (text, right) in enumerate(options)
        )


class GiveawayGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiveawayGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Giveaway group {n}")

    @factory.post_generation
    def questions(group, create, extracted, **kwargs):
        if create and extracted:
            group.questions.set(extracted)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, choices=[])
    position = factory.Sequence(lambda n: n % 6)
    text = factory.Sequence(lambda n: f"Option {n}")
    is_correct = False


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Practice quiz {n}")
    slug = factory.Sequence(lambda n: f"practice-quiz-{n}")
    description = "Timed practice on the article."
    seconds_per_question = 19
    marks_correct = Decimal("2")
    marks_wrong = Decimal("0.66")
    shuffle_questions = False
    shuffle_options = False
    is_published = True
    # Released long before any test's clock (helpers.T0), so frozen-time tests can open it.
    publish_at = datetime(2026, 1, 1, tzinfo=dt_timezone.utc)

    @factory.post_generation
    def with_questions(quiz, create, extracted, **kwargs):
        """`with_questions=[q1, q2]` fixes the quiz's ordered set; an int creates that many."""
        if not create or extracted is None:
            return
        questions = QuestionFactory.create_batch(extracted) if isinstance(extracted, int) else extracted
        QuizQuestion.objects.bulk_create(
            QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(questions)
        )


class QuizQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizQuestion

    quiz = factory.SubFactory(QuizFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)


class AttemptFactory(factory.django.DjangoModelFactory):
    """A bare attempt row; use quiz.services.start for one with its questions."""

    class Meta:
        model = Attempt
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    quiz = factory.SubFactory(QuizFactory)
    started_at = factory.LazyFunction(timezone.now)
    seconds_per_question = factory.LazyAttribute(lambda a: a.quiz.seconds_per_question)
    marks_correct = factory.LazyAttribute(lambda a: a.quiz.marks_correct)
    marks_wrong = factory.LazyAttribute(lambda a: a.quiz.marks_wrong)
    feedback = factory.LazyAttribute(lambda a: a.quiz.feedback)
    question_count = 0

    @factory.post_generation
    def first_sitting(attempt, create, extracted, **kwargs):
        """Tests make attempts in any order: which is the learner's first sitting is worked
        out from their starts, as services.start would have recorded it."""
        if create:
            Attempt.objects.filter(user=attempt.user, quiz=attempt.quiz).mark_first_sittings()
            attempt.refresh_from_db(fields=["is_first"])


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    option_order = factory.LazyAttribute(lambda r: list(r.question.choices.values_list("id", flat=True)))


# --- teaching: classes, memberships, assignments --------------------------------------------


def _teacher(n):
    from django.contrib.auth.models import Group

    user = UserFactory(username=f"teacher{n}")
    user.groups.add(Group.objects.get_or_create(name="Teachers")[0])
    return user


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "teaching.Classroom"

    teacher = factory.Sequence(_teacher)
    name = factory.Sequence(lambda n: f"Prelims batch {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "teaching.Membership"

    classroom = factory.SubFactory(ClassroomFactory)
    learner = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "teaching.Assignment"

    classroom = factory.SubFactory(ClassroomFactory)
    quiz = factory.SubFactory(QuizFactory)
    due_at = None
