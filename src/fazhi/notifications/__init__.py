"""Delivery of the outbox: senders per channel and the dispatcher that retries with backoff.

Messages are written to the `outbox` table by the actions, in the same transaction as the
change that caused them (`fazhi.actions.notify`); `fazhi notify run` sends them.
"""
