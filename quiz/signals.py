"""Signals of the quiz app, for apps above it that keep figures of their own worked out from
learners' answers (the learning app's progress totals) and must hear when those answers change
after they were closed."""

from django.dispatch import Signal

# Sent, inside the transaction that made the change, when answers already closed change what
# they count as: a regrade marked them again, or their questions moved to another topic
# (curation), with `question_ids` (the questions whose answers changed) and `topic_ids` (topics
# those answers were counted under before the change besides the questions' current ones: the
# topics they moved from; empty for a regrade).
answers_changed = Signal()
