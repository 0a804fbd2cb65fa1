class UnreadableNewsletter(ValueError):
    """The file is not a newsletter the importer can read; says where and why."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.reason}" if self.line else self.reason
