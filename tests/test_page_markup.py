"""What the pages' markup says to people and to assistive technology: no template comment
printed as text, every aria-describedby pointing at an element that exists, messages in a plain
list beside a status region that is empty when the page arrives."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import ClassroomFactory, QuizFactory

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    """The ids a page defines, the ids its aria-describedby attributes name, and the elements
    with a role, as (tag, role)."""

    def __init__(self, html: str):
        super().__init__()
        self.defined, self.described_by, self.roles = set(), [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.defined.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described_by.extend(attrs["aria-describedby"].split())
        if attrs.get("role"):
            self.roles.append((tag, attrs["role"]))


@pytest.fixture
def form_pages(client, learner, teacher):
    """Every page that shows a form through _form_fields.html, as its user sees it, with and
    without errors."""
    classroom = ClassroomFactory(teacher=teacher)
    QuizFactory(with_questions=1)
    pages = {"log-in": client.get("/accounts/login/"), "sign-up": client.get("/accounts/signup/")}
    pages["sign-up, refused"] = client.post("/accounts/signup/", {"username": "x"})
    client.force_login(learner)
    pages["join"] = client.get("/classes/join/")
    pages["join, refused"] = client.post("/classes/join/", {"code": "NOPE00"})
    client.force_login(teacher)
    pages["new class"] = client.get("/teach/")
    pages["new class, refused"] = client.post("/teach/classes/new/", {"name": ""})
    pages["assign"] = client.get(f"/teach/classes/{classroom.pk}/")
    pages["assign, refused"] = client.post(f"/teach/classes/{classroom.pk}/assign/", {"quiz": ""})
    return {name: response.content.decode() for name, response in pages.items()}


def test_no_form_page_prints_the_form_template_s_comment(form_pages):
    for name, html in form_pages.items():
        assert "Help text is written by us" not in html, name
        assert "{#" not in html and "#}" not in html, name


def test_every_aria_describedby_names_an_element_of_the_page(form_pages):
    for name, html in form_pages.items():
        page = Ids(html)
        missing = [id_ for id_ in page.described_by if id_ not in page.defined]
        assert not missing, f"{name}: aria-describedby names {missing}, which no element has"
    # The pages do describe their inputs: help on every form, errors on refused ones.
    assert "id_name_helptext" in Ids(form_pages["new class"]).described_by
    assert "id_name_error" in Ids(form_pages["new class, refused"]).described_by


def test_messages_are_a_plain_list_and_the_status_region_arrives_empty(client, teacher):
    client.force_login(teacher)
    response = client.post("/teach/classes/new/", {"name": "Prelims 2027"}, follow=True)
    html = response.content.decode()
    messages = re.search(r"<ul class=\"messages\"[^>]*>(.*?)</ul>", html, re.S)
    assert messages and "Class created." in messages.group(1)
    assert "role=" not in messages.group(0).split(">")[0]
    # One status region, empty on arrival, on this page and on a page with no message.
    for page in (html, client.get("/teach/").content.decode()):
        assert Ids(page).roles.count(("div", "status")) == 1
        assert re.search(r'<div class="visually-hidden" role="status" data-announce></div>', page)
