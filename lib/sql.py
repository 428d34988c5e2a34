"""Reading models with SQL written by hand, for the few reads too hot for the ORM to compile
on every request (quiz/store.py, accounts/backends.py; the figures are in docs/benchmarks.md).
Table and column names come from the models' `_meta`; each column is converted by the ORM's
own converters and each instance made by `Model.from_db`, so the instances are the ORM's.
"""

from django.db.models import Model
from django.db.models.expressions import Col


def table(model: type[Model]) -> str:
    """The model's table, quoted as the ORM quotes it (both databases quote with ")."""
    return f'"{model._meta.db_table}"'


def column(model: type[Model], field_name: str) -> str:
    """A field's column, quoted."""
    return f'"{model._meta.get_field(field_name).column}"'


class Columns:
    """A model's columns under an alias in a hand-written SELECT (all its concrete fields, in
    `_meta.concrete_fields` order, or the fields named), and the values of a row's share
    converted as the ORM converts them (SQLite keeps datetimes, decimals and JSON as text)."""

    def __init__(self, model: type[Model], alias: str, field_names: list[str] | None = None):
        self.model = model
        self.alias = alias
        self.fields = (
            [model._meta.get_field(name) for name in field_names] if field_names else model._meta.concrete_fields
        )
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname) if field_names is None else None
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in self.fields)
        self._converters_by_vendor: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def instance(self, values: list, db) -> Model | None:
        """The model instance, or None for the missing side of a LEFT JOIN (its id is NULL).
        `db` is the connection the row came from (a cursor's `.db`): passed in, since each look-up
        through the `django.db.connection` proxy goes through a thread-local."""
        if values[self.pk_index] is None:
            return None
        return self.model.from_db(db.alias, self.attnames, self.convert(values, db))

    def convert(self, values: list, db) -> list:
        """The row's values as the fields hold them, converted in place."""
        for index, column, converters in self._converters(db):
            for convert in converters:
                values[index] = convert(values[index], column, db)
        return values

    def _converters(self, db) -> list:
        """(index, column, converters) of the columns this database returns in another shape than
        the field holds, worked out once per vendor: the ORM's compiler redoes it per query."""
        converters = self._converters_by_vendor.get(db.vendor)
        if converters is None:
            converters = []
            for index, field in enumerate(self.fields):
                col = Col(self.alias, field)
                found = db.ops.get_db_converters(col) + col.get_db_converters(db)
                if found:
                    converters.append((index, col, found))
            self._converters_by_vendor[db.vendor] = converters
        return converters


def split_row(
    row: tuple, tables: list[Columns], db, skip: frozenset[str] = frozenset(), built: dict | None = None
) -> list[Model | None]:
    """One instance per table, from a row that selected each table's columns in turn; None for
    the tables whose alias is in `skip` (what an earlier row of the same read already gave).
    With `built`, a row the read has already made an instance of (same model, same primary
    key) gives that instance again: the rows of one attempt mostly cite one article, and each
    instance costs the model's whole __init__ (django-modeltranslation's on top)."""
    instances, start = [], 0
    for columns in tables:
        end = start + len(columns)
        if columns.alias in skip:
            instances.append(None)
        elif built is None:
            instances.append(columns.instance(list(row[start:end]), db))
        else:
            key = (columns.model, row[start + columns.pk_index])
            if key not in built:
                built[key] = columns.instance(list(row[start:end]), db)
            instances.append(built[key])
        start = end
    return instances
