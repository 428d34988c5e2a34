"""What a question is: the article it comes from, its topic, its stem, options and explanation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from questions.text import stem_fingerprint

LETTERS = "ABCDEF"


class Source(models.Model):
    """An article a bank is drawn from, stored passage by passage so a question can cite one."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:source", args=[self.slug])


class Passage(models.Model):
    """One paragraph of a source, in reading order, under the section heading it falls in."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages", verbose_name=_("source"))
    position = models.PositiveIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["source", "position"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="passage_unique_position"),
        ]

    def __str__(self) -> str:
        # The question form's passage picker shows this: the paragraph's words, not only its number.
        excerpt = " ".join(self.text.split())
        return f"{self.source.slug} ¶{self.position}: {excerpt[:90]}{'…' if len(excerpt) > 90 else ''}"

    @property
    def anchor(self) -> str:
        return f"p{self.position}"

    def get_absolute_url(self) -> str:
        return self.url_within(self.source.get_absolute_url())

    def url_within(self, source_url: str) -> str:
        """This paragraph's address on its source's page, whose address the caller has."""
        return f"{source_url}#{self.anchor}"


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


def _blank(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})


def _lacks_hindi() -> Q:
    """A Hindi reader would meet English in it: no Hindi stem, an explanation written in
    English but not in Hindi, or an option without Hindi (each falls back to English)."""
    options = Choice.objects.filter(question=models.OuterRef("pk")).filter(_blank("text_hi"))
    return _blank("stem_hi") | (~_blank("explanation_en") & _blank("explanation_hi")) | Q(models.Exists(options))


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def lacking_hindi(self):
        return self.filter(_lacks_hindi())

    def with_hindi(self):
        return self.exclude(_lacks_hindi())


class Question(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    class Style(models.TextChoices):
        STATEMENTS = "statements", _("Statements (UPSC)")
        PAIRS = "pairs", _("Pair matching")
        DIRECT = "direct", _("Direct")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="questions", verbose_name=_("source"))
    passage = models.ForeignKey(
        Passage, on_delete=models.PROTECT, related_name="questions", null=True, blank=True, verbose_name=_("passage")
    )
    # The article is not always right. Where no passage states the key correctly, the question
    # cites the one that deals with the fact and gets it wrong, and learners are shown it as the
    # article's slip, never as support for the answer.
    passage_contradicts_key = models.BooleanField(
        _("passage gets the key wrong"),
        default=False,
        help_text=_(
            "Tick when the cited passage states this fact wrongly (no passage states it "
            "right): learners see the passage as the article's slip, next to the right answer."
        ),
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic"))
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty, default=Difficulty.MEDIUM)
    style = models.CharField(_("style"), max_length=12, choices=Style, default=Style.DIRECT)
    stem = models.TextField(_("stem"), help_text=_("The question as the learner reads it; line breaks are kept."))
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Why the right option is right and each other option wrong, citing the source."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    # Set from the stem on save; one source may not hold the same normalised stem twice.
    stem_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["source", "stem_key"], name="question_unique_stem_per_source"),
        ]

    def __str__(self) -> str:
        first_line = self.stem.strip().splitlines()[0] if self.stem.strip() else ""
        return first_line[:80]

    @property
    def shown_language(self) -> str:
        """The language the learner reads this question in now: the page's, when the question
        has its stem in it, English otherwise (django-modeltranslation falls back to it)."""
        language = translation.get_language()
        if language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE and not getattr(self, f"stem_{language}", None):
            return settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        return language

    @property
    def lacks_translation(self) -> bool:
        """Shown in English on a page in another language: the page says so."""
        return self.shown_language != translation.get_language()

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None and "stem" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "stem_key"}
        super().save(*args, **kwargs)


@receiver(pre_save, sender=Question)
def _set_stem_key(sender, instance: Question, **kwargs) -> None:
    # A receiver rather than save(): loaddata saves fixtures raw, skipping save() but not
    # pre_save. bulk_create skips both, so importers set stem_key themselves.
    # The English stem, whatever language the editor's page is in: one fingerprint per question.
    instance.stem_key = stem_fingerprint(instance.stem_en or instance.stem)


class Choice(models.Model):
    """One option of a question. `position` is the canonical order, shown as (a), (b), ..."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))
    is_correct = models.BooleanField(_("is correct"), default=False)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="choice_unique_position"),
            # At most one right option per question, held by the database; "exactly one" is
            # checked by the forms and importers before a question is published.
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_correct=True), name="choice_one_correct"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def letter(self) -> str:
        return LETTERS[self.position] if self.position < len(LETTERS) else str(self.position + 1)


class GiveawayGroupQuerySet(models.QuerySet):
    def clashes(self, question_ids) -> list[tuple["GiveawayGroup", list[int]]]:
        """Each group holding two or more of these questions, with the ones it holds (in id
        order): what a fixed quiz of them puts in front of every learner together."""
        wanted = set(question_ids)
        held: dict[int, list[int]] = {}
        groups: dict[int, GiveawayGroup] = {}
        for membership in GiveawayGroup.questions.through.objects.filter(
            question_id__in=wanted
        ).select_related("giveawaygroup").order_by("giveawaygroup__name", "giveawaygroup_id", "question_id"):
            groups[membership.giveawaygroup_id] = membership.giveawaygroup
            held.setdefault(membership.giveawaygroup_id, []).append(membership.question_id)
        return [(groups[pk], ids) for pk, ids in held.items() if len(ids) > 1]


class GiveawayGroup(models.Model):
    """Questions that give each other away (one's stem or options answer another's), so that
    no attempt holds two of them: a random draw takes at most one of a group, and admin warns
    about a fixed quiz that holds two."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    note = models.TextField(_("note"), blank=True, help_text=_("What gives what away, for the next editor."))
    questions = models.ManyToManyField(
        Question, related_name="giveaway_groups", blank=True, verbose_name=_("questions")
    )

    objects = GiveawayGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("giveaway group")
        verbose_name_plural = _("giveaway groups")

    def __str__(self) -> str:
        return self.name


def giveaway_partners() -> dict[int, set[int]]:
    """For each question in a giveaway group, the other questions of its groups: the ones an
    attempt that holds it must not hold. One query; groups are few and small, made by editors."""
    members: dict[int, set[int]] = {}
    for group_id, question_id in GiveawayGroup.questions.through.objects.values_list(
        "giveawaygroup_id", "question_id"
    ):
        members.setdefault(group_id, set()).add(question_id)
    partners: dict[int, set[int]] = {}
    for group in members.values():
        for question_id in group:
            partners.setdefault(question_id, set()).update(group - {question_id})
    return partners
