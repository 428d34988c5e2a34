"""Parts of a page that are the same for every reader of a language, rendered once per language
per process rather than on every request.

The question fragment is rendered on every answer, and most of its words are fixed: the
answer bar, the confidence picker, the timer's spoken warnings. Each `{% translate %}` costs
about 75 Python calls however often it says the same thing: those words took about a third
of an answer's rendering (docs/benchmarks.md, "Answer path, won back").

    {% load once %}
    {% once_per_language %}<button>{% translate "Submit answer" %}</button>{% endonce_per_language %}

The part is rendered in a context of its own, holding nothing of the page's: no learner, no
question, no request can get into text that every other reader is then served. A variable
there renders empty; the constants a part may show come from tags of this library. Wrap only
what depends on the language alone: a tag inside that read the clock or the time zone
(`{% now %}`) would be frozen at the part's first rendering.
"""

from django import template
from django.template import Context
from django.utils import translation

from quiz.presenters import CONFIDENCE_LEVELS

register = template.Library()


class OncePerLanguageNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist
        # The node lives as long as the loader's cached template: the process, for every thread.
        # Two threads rendering a language's first copy at once both write the same text.
        self.rendered: dict[str, str] = {}

    def render(self, context: Context) -> str:
        language = translation.get_language()
        text = self.rendered.get(language)
        if text is None:
            own = Context(autoescape=context.autoescape)
            with own.bind_template(context.template):  # for {% include %}, which asks its engine
                text = self.rendered[language] = self.nodelist.render(own)
        return text


@register.tag
def once_per_language(parser, token) -> OncePerLanguageNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("once_per_language takes no arguments: its part sees no variable.")
    nodelist = parser.parse(("endonce_per_language",))
    parser.delete_first_token()
    return OncePerLanguageNode(nodelist)


@register.simple_tag
def confidence_levels() -> list:
    """The confidence marks offered with an answer: (value, label, key)."""
    return CONFIDENCE_LEVELS
