"""The question form's fixed words are rendered once per language and process
(quiz/templatetags/once.py): every learner still reads them in their own language, and nothing
of one learner's page can be served to another."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile
from tests.helpers import make_teacher, start


def read_in(client, user, language: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})
    client.force_login(user)  # the profile's language is copied into the session at log-in


def test_each_learner_reads_the_answer_bar_in_their_language_whoever_came_first(
    client, learner, other_learner, quiz
):
    english, hindi = start(learner, quiz), start(other_learner, quiz)
    read_in(client, learner, "en")
    first = client.get(reverse("quiz:play", args=[english.pk])).content.decode()
    read_in(client, other_learner, "hi")
    second = client.get(reverse("quiz:play", args=[hindi.pk])).content.decode()
    read_in(client, learner, "en")
    third = client.get(reverse("quiz:play", args=[english.pk])).content.decode()

    for page in (first, third):
        assert "Submit answer" in page and "How sure are you?" in page and 'data-say-10="10 seconds left"' in page
    assert "उत्तर जमा करें" in second and "Submit answer" not in second
    assert "How sure are you?" not in second and 'data-say-10="10 सेकंड शेष"' in second


def test_the_header_reads_in_each_learners_language_and_says_teach_only_to_a_teacher(client, learner, db):
    teacher = make_teacher("meera")
    read_in(client, learner, "en")
    english = client.get(reverse("quiz:list")).content.decode()
    read_in(client, teacher, "hi")
    hindi = client.get(reverse("quiz:list")).content.decode()

    assert ">Quizzes</a>" in english and ">Join a class</a>" in english and ">Teach</a>" not in english
    assert ">प्रश्नोत्तरियाँ</a>" in hindi and ">पढ़ाएँ</a>" in hindi and ">Quizzes</a>" not in hindi


def test_a_part_rendered_once_sees_nothing_of_the_page_it_is_in(db):
    part = Template("{% load once %}{% once_per_language %}[{{ learner }}{{ request.path }}]{% endonce_per_language %}")
    with translation.override("en"):
        assert part.render(Context({"learner": "asha", "request": {"path": "/attempts/1/"}})) == "[]"
        assert part.render(Context({"learner": "ravi"})) == "[]"
