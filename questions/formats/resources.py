"""The django-import-export resource behind the admin's spreadsheet import and export.

It is a thin adapter: the file is read by our formats (tabular.py), every row is checked by the
shared import service before the first one is saved, and a row with a problem is reported as
invalid with our message, so import-export shows the list and offers no "Confirm import".
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources

from questions.formats import rules
from questions.formats.rows import COLUMNS, Problem, dataset_from_rows, row_values, rows_from_dataset
from questions.formats.service import (
    Planned,
    check_rows,
    choices_for,
    create_new_topics,
    question_for,
    rows_from_questions,
)
from questions.models import Choice, Question


class _PreviewField(fields.Field):
    """A column of the file, named on the import page ("This importer will import the following
    fields"); the preview's values come from QuestionResource.preview."""

    def export(self, instance, **kwargs):
        return getattr(instance, "import_values", {}).get(self.column_name, "")


class QuestionResource(resources.ModelResource):
    stem = _PreviewField(column_name="stem")
    option_a = _PreviewField(column_name="option_a")
    option_b = _PreviewField(column_name="option_b")
    option_c = _PreviewField(column_name="option_c")
    option_d = _PreviewField(column_name="option_d")
    option_e = _PreviewField(column_name="option_e")
    option_f = _PreviewField(column_name="option_f")
    correct = _PreviewField(column_name="correct")
    explanation = _PreviewField(column_name="explanation")
    topic = _PreviewField(column_name="topic")
    topic_name = _PreviewField(column_name="topic_name")
    difficulty = _PreviewField(column_name="difficulty")
    passage = _PreviewField(column_name="passage")
    passage_contradicts_key = _PreviewField(column_name="passage_contradicts_key")
    style = _PreviewField(column_name="style")
    stem_hi = _PreviewField(column_name="stem_hi")
    option_a_hi = _PreviewField(column_name="option_a_hi")
    option_b_hi = _PreviewField(column_name="option_b_hi")
    option_c_hi = _PreviewField(column_name="option_c_hi")
    option_d_hi = _PreviewField(column_name="option_d_hi")
    option_e_hi = _PreviewField(column_name="option_e_hi")
    option_f_hi = _PreviewField(column_name="option_f_hi")
    explanation_hi = _PreviewField(column_name="explanation_hi")
    topic_name_hi = _PreviewField(column_name="topic_name_hi")

    class Meta:
        model = Question
        fields = tuple(COLUMNS)
        # Every row is a new question; an import never updates the bank.
        force_init_instance = True
        clean_model_instances = False
        use_transactions = True
        skip_unchanged = False
        # No copy-and-diff of every row (a deepcopy and an HTML diff of two dozen columns each,
        # for up to 5000 rows): the preview shows the first rows as imported (self.preview).
        skip_diff = True
        # Questions and their options are written a thousand at a time (bulk_create below), as
        # the import command writes them: one row at a time, a 5000-question file took a worker
        # 17 s to confirm.
        use_bulk = True
        batch_size = 1000

    def __init__(self, source=None, default_topic=None, publish=False, create_topics=True, **kwargs):
        super().__init__(**kwargs)
        self.source = source
        self.default_topic = default_topic
        self.publish = publish
        self.create_topics = create_topics
        self.new_topics = []
        self.planned: dict[int, Planned] = {}
        self.problems: dict[int, list[Problem]] = {}
        # The first PREVIEW_ROWS rows' values, for the preview page.
        self.preview: list[tuple[int, tuple]] = []

    @classmethod
    def get_display_name(cls) -> str:
        return "Questions"

    # --- import ----------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        rows = rows_from_dataset(dataset)
        planned, problems = check_rows(
            rows,
            self.source,
            default_topic=self.default_topic,
            publish=self.publish,
            create_topics=self.create_topics,
        )
        if not problems:
            # Inside import-export's transaction, which a preview (dry run) rolls back.
            self.new_topics = create_new_topics(planned)
        # import-export numbers data rows from 1; our rows keep the file's line.
        number_of_line = {row.line: number for number, row in enumerate(rows, 1)}
        self.planned = {number_of_line[p.row.line]: p for p in planned}
        for problem in problems:
            self.problems.setdefault(number_of_line.get(problem.line, 1), []).append(problem)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # For the preview: the topics the import creates, and its first rows with how many
        # more there are (the whole file is checked, and imported on confirm).
        result.new_topics = self.new_topics
        result.preview = self.preview
        result.preview_slice = f":{rules.PREVIEW_ROWS}"
        result.valid_not_shown = max(0, len(self.planned) - len(self.preview))
        result.invalid_not_shown = max(0, len(result.invalid_rows) - rules.PREVIEW_ROWS)

    def before_import_row(self, row, row_number=None, **kwargs):
        if row_number in self.problems:
            raise ValidationError([str(p) for p in self.problems[row_number]])

    def import_instance(self, instance, row, row_number=None, **kwargs):
        planned = self.planned[row_number]
        status = Question.Status.PUBLISHED if self.publish else Question.Status.DRAFT
        filled = question_for(planned, self.source, status)
        fields = (
            "source", "passage", "passage_contradicts_key", "topic", "difficulty", "style",
            "stem_en", "stem_hi", "explanation_en", "explanation_hi",
            # Saved by bulk_create, which sends no pre_save signal to set it.
            "stem_key",
        )
        for field in (*fields, "status"):
            setattr(instance, field, getattr(filled, field))
        instance.import_row = planned.row
        if len(self.preview) < rules.PREVIEW_ROWS:
            values = row_values(planned.row, option_count=6)
            self.preview.append((row_number, tuple(values.get(c, "") for c in COLUMNS)))

    def save_instance(self, instance, is_create, row, **kwargs):
        # A preview (dry run) writes nothing: before_import has checked every row against the
        # bank already, and saving 5000 rows only to roll them back took seconds.
        if kwargs.get("dry_run"):
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The questions saved so far, and then their options (which need the questions' ids).
        A preview (dry run) has saved none (save_instance)."""
        questions, self.create_instances = self.create_instances, []
        if not questions or dry_run:
            return
        try:
            Question.objects.bulk_create(questions, batch_size=batch_size)
            Choice.objects.bulk_create(
                (choice for question in questions for choice in choices_for(question, question.import_row)),
                batch_size=batch_size,
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    # --- export ----------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        return dataset_from_rows(rows_from_questions(queryset))
