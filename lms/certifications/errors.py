"""The one exception of the certification domain."""
from lms.core.refusal import Refused


class PursuitError(Refused):
    """A move along a certification path that the rules refuse."""
