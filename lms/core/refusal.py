"""The base of every "the rules say no" exception a service raises."""


class Refused(ValueError):
    """Input the rules refuse; the (translated) message is shown to the user as it is,
    next to `field_name` when it concerns one field of the form."""

    def __init__(self, message, field_name: str | None = None):
        # The message may be a lazy translation: it is rendered when shown, in a request,
        # so a refusal can also be raised and caught in the CLI or a worker thread.
        super().__init__(message)
        self.message, self.field_name = message, field_name
