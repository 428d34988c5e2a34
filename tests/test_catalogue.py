"""The catalogue: released quizzes newest first, grouped by IST day, with topics, size, time
per question and the learner's own result; filters by topic, "not yet attempted" and title;
paged; a plain GET form that htmx enhances. And streaks, shown on the same page."""

import re
from datetime import date, datetime, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from daily.streaks import Streak, streak_from
from quiz import views
from quiz.catalogue import day_label
from tests.factories import AttemptFactory, QuestionFactory, QuizFactory, TopicFactory

# 21:00 IST on Saturday 5 Dec 2026.
NOW = datetime(2026, 12, 5, 15, 30, tzinfo=dt_timezone.utc)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def released(days_ago: int, title: str, **kwargs):
    """A quiz released at 20:00 IST `days_ago` days before NOW."""
    moment = datetime(2026, 12, 5, 14, 30, tzinfo=dt_timezone.utc) - timedelta(days=days_ago)
    return QuizFactory(title=title, publish_at=moment, **kwargs)


def cards(html: str) -> list[str]:
    return re.findall(r'data-quiz="([^"]+)"', html)


def headings(html: str) -> list[str]:
    return re.findall(r'class="day-label">([^<]+)<', html)


def test_quizzes_come_newest_first_under_today_yesterday_then_dates(learner_client, clock):
    released(2, "Thursday's quiz", slug="thu", with_questions=1)
    released(0, "Saturday's quiz", slug="sat", with_questions=1)
    released(1, "Friday's quiz", slug="fri", with_questions=1)
    html = learner_client.get(reverse("quiz:list")).content.decode()
    assert cards(html) == ["sat", "fri", "thu"]
    assert headings(html) == ["Today", "Yesterday", "Thu 3 Dec 2026"]


def test_the_ist_day_turns_at_midnight_in_india_not_utc(learner_client):
    # 00:30 IST on 6 Dec is still 5 Dec in UTC: the quiz of 20:00 IST on 5 Dec is "Yesterday".
    released(0, "Saturday's quiz", slug="sat", with_questions=1)
    with time_machine.travel(datetime(2026, 12, 5, 19, 0, tzinfo=dt_timezone.utc), tick=False):
        html = learner_client.get(reverse("quiz:list")).content.decode()
    assert headings(html) == ["Yesterday"]


def test_each_card_shows_its_topics_questions_time_and_the_learners_score(learner_client, learner, clock):
    polity, economy = TopicFactory(name="Polity"), TopicFactory(name="Economy")
    quiz = released(0, "Saturday's quiz", slug="sat", seconds_per_question=19,
                    with_questions=[QuestionFactory(topic=polity), QuestionFactory(topic=economy)])
    released(1, "Friday's quiz", slug="fri", with_questions=1)
    AttemptFactory(quiz=quiz, user=learner, finished_at=NOW, question_count=2, score=Decimal("1.34"))
    html = learner_client.get(reverse("quiz:list")).content.decode()
    saturday = html.split('data-quiz="sat"')[1].split("</li>")[0]
    friday = html.split('data-quiz="fri"')[1].split("</li>")[0]
    assert '<span class="tag">Economy</span> <span class="tag">Polity</span>' in saturday
    assert "<dd>2</dd>" in saturday and "19 s each" in saturday
    assert "<strong>1.34</strong> / 4 · done" in saturday
    assert "not yet attempted" in friday


def test_a_card_read_in_hindi_names_its_topics_and_time_in_hindi(learner_client, clock):
    """The topics come from a values() query, where no modeltranslation descriptor runs, and the
    total time from a filter: both were English on a Hindi page."""
    polity = TopicFactory(name_en="Polity", name_hi="राजव्यवस्था")
    released(0, "Saturday's quiz", slug="sat", seconds_per_question=19,
             with_questions=[QuestionFactory(topic=polity) for _ in range(10)])
    released(1, "A random draw", slug="draw", selection="random", draw_topic=polity, draw_count=5)
    learner_client.post(reverse("switch_language"), {"language": "hi", "next": "/"})
    html = learner_client.get(reverse("quiz:list")).content.decode()
    for slug in ("sat", "draw"):
        card = html.split(f'data-quiz="{slug}"')[1].split("</li>")[0]
        assert '<span class="tag">राजव्यवस्था</span>' in card and "Polity" not in card, slug
    assert "3 मि. 10 से." in html.split('data-quiz="sat"')[1] and "3 min 10 s" not in html


def test_it_filters_by_topic_not_yet_attempted_and_title(learner_client, learner, clock):
    polity = TopicFactory(name="Polity", slug="polity")
    done = released(0, "Polity daily", slug="polity-daily", with_questions=[QuestionFactory(topic=polity)])
    released(1, "Polity weekly", slug="polity-weekly", with_questions=[QuestionFactory(topic=polity)])
    released(2, "Economy daily", slug="economy-daily", with_questions=1)
    AttemptFactory(quiz=done, user=learner, finished_at=NOW, question_count=1)

    def shown(**query):
        return cards(learner_client.get(reverse("quiz:list"), query).content.decode())

    assert shown(topic="polity") == ["polity-daily", "polity-weekly"]
    assert shown(todo="on") == ["polity-weekly", "economy-daily"]
    assert shown(q="DAILY") == ["polity-daily", "economy-daily"]
    assert shown(topic="polity", todo="on", q="weekly") == ["polity-weekly"]


def test_the_filters_are_folded_until_one_is_set(learner_client, clock):
    """Folded, a phone's first screen shows the quizzes; a filtered page (a link, a reload,
    the back button, no JavaScript) opens them so the learner sees what is filtering."""
    released(0, "Polity daily", slug="polity-daily", with_questions=1)

    def folded(**query) -> bool:
        page = learner_client.get(reverse("quiz:list"), query).content.decode()
        return "<details><summary>Search and filter</summary>" in page

    assert folded()
    assert not folded(q="polity") and not folded(todo="on")


def test_a_random_draw_is_listed_under_its_topic(learner_client, clock):
    polity = TopicFactory(name="Polity", slug="polity")
    QuestionFactory(topic=polity)
    released(0, "Polity draw", slug="draw", selection="random", draw_topic=polity, draw_count=1)
    html = learner_client.get(reverse("quiz:list"), {"topic": "polity"}).content.decode()
    assert cards(html) == ["draw"] and '<span class="tag">Polity</span>' in html


def test_an_unknown_topic_or_an_overlong_search_is_a_400_with_a_message(learner_client, clock):
    released(0, "Saturday's quiz", slug="sat", with_questions=1)
    unknown = learner_client.get(reverse("quiz:list"), {"topic": "no-such-topic"})
    overlong = learner_client.get(reverse("quiz:list"), {"q": "x" * 101})
    assert unknown.status_code == 400 and "There is no such topic" in unknown.content.decode()
    assert overlong.status_code == 400 and "at most 100 characters" in overlong.content.decode()
    assert cards(unknown.content.decode()) == []


def test_pages_keep_the_filters(learner_client, clock, monkeypatch):
    monkeypatch.setattr(views, "QUIZZES_PAGE_SIZE", 2)
    for n in range(3):
        released(n, f"Daily quiz {n}", slug=f"daily-{n}", with_questions=1)
    released(3, "Weekly revision", slug="weekly", with_questions=1)
    first = learner_client.get(reverse("quiz:list"), {"q": "daily"}).content.decode()
    assert cards(first) == ["daily-0", "daily-1"]
    assert 'href="?q=daily&amp;page=2"' in first
    second = learner_client.get(reverse("quiz:list"), {"q": "daily", "page": 2}).content.decode()
    assert cards(second) == ["daily-2"]


def test_htmx_gets_only_the_list_fragment(learner_client, clock):
    released(0, "Saturday's quiz", slug="sat", with_questions=1)
    full = learner_client.get(reverse("quiz:list")).content.decode()
    fragment = learner_client.get(reverse("quiz:list"), {"q": "sat"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<form" in full and 'hx-get="/"' in full and 'action="/"' in full
    assert html.lstrip().startswith('<div id="catalogue"') and "<html" not in html
    assert cards(html) == ["sat"]
    assert fragment["Vary"] and "HX-Request" in fragment["Vary"]


# --- day labels and streaks: pure rules ------------------------------------------------------


def test_day_labels():
    today = date(2026, 12, 5)
    assert day_label(today, today) == "Today"
    assert day_label(date(2026, 12, 4), today) == "Yesterday"
    assert day_label(date(2026, 12, 3), today) == "Thu 3 Dec 2026"


def test_a_streak_counts_days_in_a_row_and_survives_until_today_ends():
    today = date(2026, 12, 5)
    days = {date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)}
    assert streak_from(days, today) == Streak(current=4, longest=4, done_today=False)
    assert streak_from(days | {today}, today).current == 5
    # A day missed breaks it; the longest is kept.
    assert streak_from(days, date(2026, 12, 6)).current == 0
    assert streak_from(days | {date(2026, 12, 6)}, date(2026, 12, 6)).longest == 4
    assert streak_from(set(), today).longest == 0


def test_the_quiz_list_shows_the_streak_counted_in_ist_days(learner_client, learner, clock):
    quiz = released(0, "Saturday's quiz", slug="sat", with_questions=1)
    # 23:50 IST on 3 Dec and 00:10 IST on 4 Dec: two IST days (one UTC day), then today.
    for moment in (
        datetime(2026, 12, 3, 18, 20, tzinfo=dt_timezone.utc),
        datetime(2026, 12, 3, 18, 40, tzinfo=dt_timezone.utc),
        NOW,
    ):
        AttemptFactory(quiz=quiz, user=learner, started_at=moment, finished_at=moment, question_count=1)
    AttemptFactory(quiz=quiz, user=learner, started_at=NOW)  # unfinished: does not count
    html = learner_client.get(reverse("quiz:list")).content.decode()
    assert 'data-streak="3"' in html and "3 days in a row" in html
    assert "longest <span data-longest>3 days</span>" in html


# --- articles and their quizzes ----------------------------------------------------------------


def test_an_article_links_to_its_released_quizzes_and_each_quiz_to_its_article(learner_client, clock, questions):
    source = questions[0].source
    QuestionFactory(source=source)
    released(0, "On the article", slug="on-it", with_questions=[questions[0]])
    released(1, "A draw from it", slug="drawn", selection="random", draw_source=source, draw_count=1)
    released(-1, "Tomorrow's", slug="tomorrow", with_questions=[questions[0]])  # not yet released
    released(0, "Elsewhere", slug="elsewhere", with_questions=1)
    article = learner_client.get(source.get_absolute_url()).content.decode()
    assert cards(article) == ["on-it", "drawn"]
    quiz_page = learner_client.get(reverse("quiz:detail", args=["on-it"])).content.decode()
    assert f'href="{source.get_absolute_url()}"' in quiz_page
