"""What the collaboration core announces, so a wing can react without the sender importing it."""

from django.dispatch import Signal

# Rows of a centre written in bulk, which send no model signals (an import): sent with `centre_id` once they are
# written; a receiver that reads them back waits for the commit (transaction.on_commit).
centre_written_in_bulk = Signal()
