"""Liveness and readiness probes for the platform. No personal data, no sign-in."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cas.web.decorators import public


@public
@never_cache
@require_GET
def health(request):
    return JsonResponse({"status": "UP"})


@public
@never_cache
@require_GET
def readiness(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "UP"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "UP" if not pending else f"DOWN: {len(pending)} pending"
    except Exception as exc:  # any failure means not ready; the reason helps operators
        checks["database"] = f"DOWN: {exc.__class__.__name__}"
    ready = all(v == "UP" for v in checks.values())
    return JsonResponse({"status": "UP" if ready else "DOWN", "checks": checks}, status=200 if ready else 503)
