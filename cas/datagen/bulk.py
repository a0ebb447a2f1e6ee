"""Writing generated rows fast: PostgreSQL's COPY, bulk_create elsewhere.

On PostgreSQL, Django's bulk_create sends each batch as one INSERT ... SELECT * FROM UNNEST(arrays):
building that statement (a prepared value per field per row) and adapting the arrays cost more than
generating the rows, and more than the server spends storing them. COPY streams the rows as tuples
instead. Rows are model instances, as for bulk_create, so both paths write the same values.
"""

from django.db import connection, models

# Fields whose Python values psycopg adapts as they are; others (JSON, and anything with a
# conversion of its own) go through get_db_prep_save.
_NATIVE = (
    models.CharField,
    models.TextField,
    models.UUIDField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # DateTimeField is a subclass
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def insert(model: type[models.Model], rows: list[models.Model], batch_size: int = 5000) -> None:
    """Insert `rows` (unsaved instances with their primary keys set) into `model`'s table."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and getattr(rows[0], f.attname) is None)]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    native = [isinstance(f, _NATIVE) for f in fields]
    attnames = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            for f in stamped:  # as bulk_create would (historical_timestamps switches this off)
                f.pre_save(row, add=True)
            values = [getattr(row, name) for name in attnames]
            for i, is_native in enumerate(native):
                if not is_native:
                    values[i] = fields[i].get_db_prep_save(values[i], connection)
            copy.write_row(values)
