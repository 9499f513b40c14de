"""``/healthz``: for load balancers and uptime checks. Answers 200 only when the database does."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _ping():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


@never_cache
@require_safe  # GET, and HEAD for the uptime monitors that use it
def healthz(request):
    try:
        _ping()
    except DatabaseError:
        # A connection the database has dropped (a restart, pg_terminate_backend)
        # fails once: ask again on a new one before telling the load balancer
        # that this server is down.
        logger.warning("health check: the database connection failed, retrying on a new one")
        try:
            connection.close()
            _ping()
        except DatabaseError:
            logger.exception("health check: the database does not answer")
            return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
