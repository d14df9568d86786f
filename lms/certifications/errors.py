"""The one exception of the certification domain."""


class PursuitError(ValueError):
    """A move the rules refuse; the (translated) message is shown to the user as it is,
    next to `field_name` when it concerns one field of the form."""

    def __init__(self, message, field_name: str | None = None):
        super().__init__(str(message))
        self.message, self.field_name = message, field_name
