"""The rules of the product. Services flush but never commit: the caller owns the transaction,
so an operation and its audit event are written together or not at all."""
