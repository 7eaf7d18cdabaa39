"""Alternative engines. ``native`` lives in the core; ``durable`` wraps durable_rules.

Nothing outside this package imports an engine module at import time, so the library
works wherever durable_rules cannot be installed or imported.
"""
