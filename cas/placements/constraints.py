"""A PostgreSQL exclusion constraint that is a no-op on other databases.

SQLite has no EXCLUDE; the service's lock-and-check (`services/rules.py`, `_check_free`) is the rule on both
databases, and on PostgreSQL this constraint is a backstop that makes an overlap impossible even
for a write that bypasses the service. One migration history works for both.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import connections


class PostgresExclusionConstraint(ExclusionConstraint):
    @staticmethod
    def _on_postgres(schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using=None):
        if connections[using or "default"].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
