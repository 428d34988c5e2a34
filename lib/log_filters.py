"""Filters for the log's records."""

import logging


class ForbiddenInOneLine(logging.Filter):
    """A 403 is a person asking for what is not theirs (an editor opening users in admin), not
    a fault: Django logs it with the PermissionDenied traceback, twenty lines each time, which
    buries the tracebacks that matter. Keep its one line: status, path and who asked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
