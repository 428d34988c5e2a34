from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from questions.models import Source


@require_GET
@login_required
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article a bank is drawn from, passage by passage, each with an anchor to cite."""
    source = get_object_or_404(Source, slug=slug)
    return render(request, "questions/source.html", {"source": source, "passages": source.passages.all()})
