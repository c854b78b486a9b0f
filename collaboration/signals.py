"""What the collaboration core announces, so a wing can react without the sender importing it."""

from django.dispatch import Signal

# Rows of a centre written in bulk, which send no model signals (an import): sent with `centre_id` once they are
# written; a receiver that reads them back waits for the commit (transaction.on_commit).
centre_written_in_bulk = Signal()

# A centre's latest mapping round changed the marks its map draws on each tie (a round opened, an answer given, a
# link revoked or sent again): sent with `centre_id` by collaboration.rounds.services, as those writes are not all
# model saves (a revocation is an update).
round_marks_changed = Signal()
