"""Hindi beside English (issue 19, part 3): the header's switch, remembered in the session, the
cookie and the learner's profile; the question in the language chosen, or in English with a
note; each answer recording the language it was read in; the clock untouched by a switch."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from quiz.models import Response
from tests.factories import QuestionFactory, QuizFactory, UserFactory
from tests.helpers import answer_form, correct_choice

pytestmark = pytest.mark.django_db
HINDI_STEM = "निम्नलिखित में से कौन-सा सही है?"


@pytest.fixture
def bilingual_quiz():
    """Two questions: the first in English and Hindi, the second in English only."""
    translated = QuestionFactory(stem="Which of the following is correct?")
    translated.stem_hi = HINDI_STEM
    translated.save()
    return QuizFactory(slug="bilingual", with_questions=[translated, QuestionFactory()])


def switch(client, code, next_url="/"):
    return client.post(reverse("switch_language"), {"language": code, "next": next_url})


def test_the_switch_remembers_the_choice_on_the_profile_and_goes_back(learner_client, learner):
    reply = switch(learner_client, "hi", "/attempts/")
    assert reply.status_code == 302 and reply["Location"] == "/attempts/"
    assert Profile.objects.get(user=learner).language == "hi"
    assert reply.cookies["django_language"].value == "hi"
    page = learner_client.get("/attempts/").content.decode()
    assert '<html lang="hi">' in page
    assert 'name="language" value="en"' in page  # the switch now offers English


def test_a_language_not_offered_is_refused_with_a_message_and_nothing_written(learner_client, learner):
    reply = switch(learner_client, "fr")
    assert reply.status_code == 400
    assert "Pariksha reads in English or हिन्दी" in reply.content.decode()
    assert not Profile.objects.exists()


def test_the_switch_leads_only_to_a_page_of_this_site(learner_client):
    assert switch(learner_client, "hi", "https://evil.example/")["Location"] == reverse("quiz:list")


def test_the_profiles_language_comes_back_at_the_next_log_in(client, learner):
    Profile.objects.create(user=learner, language="hi")
    assert client.post(reverse("login"), {"username": "asha", "password": "correct horse battery staple"}).status_code == 302
    assert '<html lang="hi">' in client.get(reverse("quiz:list")).content.decode()


def test_before_log_in_the_choice_is_kept_in_a_cookie(client):
    switch(client, "hi", "/accounts/login/")
    assert not Profile.objects.exists()
    assert '<html lang="hi">' in client.get("/accounts/login/").content.decode()


def test_a_question_reads_in_hindi_and_an_untranslated_one_in_english_with_a_note(learner_client, learner, bilingual_quiz):
    switch(learner_client, "hi")
    play = learner_client.post(reverse("quiz:start", args=[bilingual_quiz.slug]))["Location"]
    page = learner_client.get(play).content.decode()
    assert f'<div class="stem" lang="hi">{HINDI_STEM}</div>' in page
    assert "अभी हिन्दी में उपलब्ध नहीं" not in page

    response = Response.objects.select_related("question").get(attempt__user=learner, position=0)
    learner_client.post(play + "answer/", answer_form(response, correct_choice(response)))
    response.refresh_from_db()
    assert response.language == "hi"

    learner_client.get(reverse("quiz:feedback", args=[response.attempt_id, 1]))
    page = learner_client.get(play).content.decode()
    assert "यह प्रश्न अभी हिन्दी में उपलब्ध नहीं है" in page
    assert '<div class="stem" lang="en">' in page


def test_switching_mid_question_leaves_its_clock_alone(learner_client, learner, bilingual_quiz):
    play = learner_client.post(reverse("quiz:start", args=[bilingual_quiz.slug]))["Location"]
    learner_client.get(play)
    before = Response.objects.get(attempt__user=learner, position=0)
    switch(learner_client, "hi", play)
    learner_client.get(play)
    after = Response.objects.get(attempt__user=learner, position=0)
    assert (after.shown_at, after.deadline) == (before.shown_at, before.deadline)
    assert after.deadline - after.shown_at == timedelta(seconds=bilingual_quiz.seconds_per_question)
    assert after.shown_at <= timezone.now()


def test_the_review_says_which_answers_were_read_in_hindi(learner_client, learner, bilingual_quiz):
    switch(learner_client, "hi")
    play = learner_client.post(reverse("quiz:start", args=[bilingual_quiz.slug]))["Location"]
    for position in range(2):
        learner_client.get(play)
        response = Response.objects.select_related("question").get(attempt__user=learner, position=position)
        learner_client.post(play + "answer/", answer_form(response, correct_choice(response)))
    assert list(Response.objects.filter(attempt__user=learner).values_list("language", flat=True)) == ["hi", "en"]
    result = learner_client.get(reverse("quiz:result", args=[response.attempt_id])).content.decode()
    # The page is in Hindi, interface included: "read in" is "पढ़ा गया:".
    assert result.count('पढ़ा गया: <span lang="hi">हिन्दी</span>') == 1
