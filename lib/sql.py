"""Reading models with SQL written by hand, for the few reads too hot for the ORM to compile
on every request (quiz/answer_sql.py, accounts/backends.py; the figures are in
docs/benchmarks.md). The instances come out as the ORM's would: each column converted by the
ORM's own converters, each instance made as `Model.from_db` makes it.
"""

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init


class Columns:
    """A model's columns under an alias in a hand-written SELECT, and the instance made from a
    row's share of the values, converted as the ORM converts them (SQLite keeps datetimes,
    decimals and JSON as text)."""

    def __init__(self, model: type[Model], alias: str):
        self.model = model
        self.alias = alias
        self.fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.attnames.index(model._meta.pk.attname)
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in self.fields)
        self._converters_by_vendor: dict[str, list] = {}
        self._plain: bool | None = None  # see _values_are_all_init_does

    def __len__(self) -> int:
        return len(self.fields)

    def instance(self, values: list, db) -> Model | None:
        """The model instance, or None for the missing side of a LEFT JOIN (its id is NULL).
        `db` is the connection the row came from (a cursor's `.db`): passed in, since each look-up
        through the `django.db.connection` proxy goes through a thread-local."""
        if values[self.pk_index] is None:
            return None
        for index, column, converters in self._converters(db):
            for convert in converters:
                values[index] = convert(values[index], column, db)
        if not self._values_are_all_init_does():
            return self.model.from_db(db.alias, self.attnames, values)
        # What from_db and Model.__init__ amount to for such a model, at a quarter of the cost
        # (instances are most of what building a page's rows costs).
        instance = self.model.__new__(self.model)
        instance.__dict__.update(zip(self.attnames, values))
        state = instance._state = ModelState()
        state.adding, state.db = False, db.alias
        return instance

    def _values_are_all_init_does(self) -> bool:
        """True when Model.__init__ would only store each value: the model does not override it,
        nothing listens to its pre_init or post_init signals (Django's own receivers, for image
        fields and generic relations, connect when the class is made), and each column's
        attribute is a plain one or a foreign key's id, whose setter only clears a related
        object that a new instance does not have. Worked out at the first row read."""
        if self._plain is None:
            descriptors = (DeferredAttribute, ForeignKeyDeferredAttribute)
            self._plain = (
                self.model.__init__ is Model.__init__
                and not pre_init.has_listeners(self.model)
                and not post_init.has_listeners(self.model)
                and all(type(self.model.__dict__.get(name)) in descriptors for name in self.attnames)
            )
        return self._plain

    def _converters(self, db) -> list:
        """(index, column, converters) of the columns this database returns in another shape than
        the field holds, worked out once per vendor: the ORM's compiler redoes it per query."""
        converters = self._converters_by_vendor.get(db.vendor)
        if converters is None:
            converters = []
            for index, field in enumerate(self.fields):
                column = Col(self.alias, field)
                found = db.ops.get_db_converters(column) + column.get_db_converters(db)
                if found:
                    converters.append((index, column, found))
            self._converters_by_vendor[db.vendor] = converters
        return converters


def split_row(row: tuple, tables: list[Columns], db, skip: frozenset[str] = frozenset()) -> list[Model | None]:
    """One instance per table, from a row that selected each table's columns in turn; None for
    the tables whose alias is in `skip` (what an earlier row of the same read already gave)."""
    instances, start = [], 0
    for table in tables:
        end = start + len(table)
        instances.append(None if table.alias in skip else table.instance(list(row[start:end]), db))
        start = end
    return instances
