"""Form field helpers shared by the domains' forms."""


def destructive(question) -> dict:
    """render_kw for a submit button that removes, ends or undoes something (withdraw, revoke,
    retire, deactivate): the form macro draws it as a warning button and app.js asks `question`
    before sending. Without JavaScript the button still works; each such form is its own step
    (most ask for a reason), so nothing is lost by one accidental tap."""
    return {"data-confirm": question}
