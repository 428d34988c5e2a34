"""Admin's "Add article from text": an article pasted or uploaded, previewed as passages, then
confirmed. The splitting is questions/articles.py's, as for `import_article`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy as _

from questions.articles import Paragraph, split_article
from questions.formats.rows import BankImportError, decode_utf8
from questions.models import Source

# A long article is some 50 KB. The preview's confirm button sends the text back
# percent-encoded (up to three characters a byte), which must stay under Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): 256 KB of text is 768 KB sent back.
MAX_ARTICLE_BYTES = 256 * 1024
ARTICLE_EXTENSIONS = (".txt", ".md", ".html", ".htm")
KINDS = {"text": "article.txt", "html": "article.html"}


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        gettext("The article is %(size)s KB; at most %(limit)s KB of text is accepted. Split it, or use the import_article command.")
        % {"size": (size + 1023) // 1024, "limit": MAX_ARTICLE_BYTES // 1024}
    )


def article_paragraphs(text: str, kind: str) -> list[Paragraph]:
    """The passages of the text, split by its kind (HTML, or plain text and Markdown)."""
    return split_article(text, KINDS[kind])


class _ArticleDetails(forms.Form):
    slug = forms.SlugField(max_length=120, label=_("Slug"), help_text=_("Its address: letters, digits and hyphens."))
    title = forms.CharField(max_length=300, label=_("Title"))
    published_on = forms.DateField(
        required=False,
        label=_("Published on"),
        help_text=_("YYYY-MM-DD, optional."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, source: Source | None = None, **kwargs):
        """`source`: the article being re-imported (its slug stays); None for a new one."""
        self.source = source
        super().__init__(*args, **kwargs)
        if source is not None:
            self.fields["slug"].disabled = True
            self.fields["slug"].initial = source.slug

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.source is None and Source.objects.filter(slug=slug).exists():
            raise ValidationError(
                gettext("An article with the slug “%(slug)s” exists already. Choose another slug, or re-import into that article from its page.")
                % {"slug": slug}
            )
        return slug

    def clean_text_checked(self, text: str, kind: str) -> list[Paragraph]:
        if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
            raise _too_large(len(text.encode("utf-8")))
        if "\x00" in text:
            raise ValidationError(gettext("The text holds a NUL character, which cannot be stored."))
        paragraphs = article_paragraphs(text, kind)
        if not paragraphs:
            raise ValidationError(
                gettext("The article has no paragraphs: paste or upload its text, with a blank line between paragraphs.")
            )
        return paragraphs


class ArticleForm(_ArticleDetails):
    """Step one: the article's details, and its text pasted or a file uploaded (one of them)."""

    text = forms.CharField(
        required=False,
        strip=False,
        label=_("Text"),
        help_text=_("Paragraphs separated by blank lines; a short line without a full stop, or a line starting with #, is a heading."),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 90}),
    )
    upload = forms.FileField(
        required=False,
        label=_("Or a file"),
        help_text=_(".txt, .md or .html, UTF-8, at most 256 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ARTICLE_EXTENSIONS)}),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if not upload.name.lower().endswith(ARTICLE_EXTENSIONS):
            raise ValidationError(gettext("Upload a .txt, .md or .html file; “%(name)s” is none of these.") % {"name": upload.name})
        # Refused before it is read: an oversized upload never reaches memory.
        if upload.size > MAX_ARTICLE_BYTES:
            raise _too_large(upload.size)
        try:
            upload.article_text = decode_utf8(upload.read())
        except BankImportError as error:
            raise ValidationError(
                [gettext("Line %(line)s: %(reason)s") % {"line": p.line, "reason": p.reason} for p in error.problems]
            ) from None
        return upload

    def clean(self):
        data = super().clean()
        upload, text = data.get("upload"), data.get("text", "")
        if "upload" in self.errors or "text" in self.errors:
            return data
        if upload is not None and text.strip():
            raise ValidationError(gettext("Paste the text or upload a file, not both."))
        if upload is not None:
            data["text"] = upload.article_text
            data["kind"] = "html" if upload.name.lower().endswith((".html", ".htm")) else "text"
        else:
            data["kind"] = "text"
        if not data["text"].strip():
            raise ValidationError(gettext("The article is empty: paste its text or upload a file."))
        try:
            data["paragraphs"] = self.clean_text_checked(data["text"], data["kind"])
        except ValidationError as error:
            self.add_error("upload" if upload is not None else "text", error)
        return data


class ArticleConfirmForm(_ArticleDetails):
    """Step two: the same details and text again, sent back by the preview, checked again."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("slug", "title", "published_on"):
            self.fields[name].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if "text" in data and "kind" in data:
            try:
                data["paragraphs"] = self.clean_text_checked(data["text"], data["kind"])
            except ValidationError as error:
                self.add_error(None, error)
        return data
