"""The transactional outbox: every email the platform sends is a row written in the same
transaction as the change that causes it, and a worker delivers it with retries.

Shared infrastructure: it imports no domain package. Domains call `services.enqueue`;
the composition root starts the worker (`worker.OutboxWorker`) with a transport
(`transport.build_transport`).
"""
