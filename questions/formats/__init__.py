"""Question bank files: CSV, XLSX and JSON (through django-import-export), Moodle GIFT and Aiken.

`rows` is the plain row model every format reads into and writes from, `rules` the checks and
their messages, `service` the all-or-nothing import and the export.
"""
