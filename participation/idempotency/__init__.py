"""Idempotency keys for the API's creating POSTs (`Idempotency-Key`, IETF httpapi draft)."""
