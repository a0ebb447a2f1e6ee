"""The answers stored on an application: `{task: {page: {field: value}}}`, read by the definition's
rules and by the page forms (which is why they are a module of their own: `definition.py` imports the
forms, and the forms read the answers).
"""


class Answers:
    """Read access to stored answers: `{task: {page: {field: value}}}`."""

    def __init__(self, data: dict | None = None):
        self.data = data if data is not None else {}

    def page(self, task: str, page: str) -> dict | None:
        return (self.data.get(task) or {}).get(page)

    def value(self, task: str, page: str, name: str, default=None):
        values = self.page(task, page)
        if not values:
            return default
        return values.get(name, default)

    def is_answered(self, task: str, page: str) -> bool:
        return self.page(task, page) is not None

    def __bool__(self) -> bool:
        return any(self.data.values())
