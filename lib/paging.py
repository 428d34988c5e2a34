"""One way to page a long list: the matrix report's learners, a learner's attempts."""

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext


def page_of(request: HttpRequest, items, per_page: int, noun: str) -> dict:
    """The page of `items` that `?page=` asks for, with what templates/_pager.html shows.

    A page number that is not a whole number shows the first page, and one out of range the
    last: a link kept from when the list was longer still opens a page of it. Two queries
    whatever the length: the count and the page.
    """
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    count = page.paginator.count
    shown = (
        gettext("%(noun)s %(first)s–%(last)s of %(count)s")
        % {"noun": capfirst(noun), "first": f"{page.start_index():,}", "last": f"{page.end_index():,}", "count": f"{count:,}"}
        if count
        else gettext("No %(noun)s") % {"noun": noun}
    )
    return {
        "page": page,
        # A list, not the generator Django gives: pages show their links above and below.
        "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "shown": shown,
    }
