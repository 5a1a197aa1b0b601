"""The trivial job rq_ref.py enqueues (imported by the rq workers)."""


def noop(i=None):
    return i
