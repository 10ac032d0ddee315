"""Case types as data: the specs (`spec.py`) and the parser that builds them from a file."""

from fazhi.domain.case_type import spec
from fazhi.domain.case_type.parse import link_faults, parse_case_type
from fazhi.domain.case_type.spec import *  # noqa: F403  (the specs' names are the package's)

# One list of the specs' names, kept in spec.py.
__all__ = ["link_faults", "parse_case_type"]
__all__ += spec.__all__
