"""gunicorn's settings for `make serve`, from the environment (see README: Running in production)."""

import multiprocessing
import os

# WEB_CONCURRENCY is gunicorn's own variable; by default two workers per core and one more.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A thread pool per worker: a slow PDF does not hold up the quick pages behind it.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Longer than the database's statement timeout, so a slow query ends as a clear page, not a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak can never grow without end.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The access log as gunicorn writes it, with partners' link tokens left out (samkort/logfilters.py).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_partner_tokens": {"()": "samkort.logfilters.HidePartnerTokens"}},
    "formatters": {"generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["no_partner_tokens"],
            "stream": "ext://sys.stdout",
        }
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
# Only the proxy in front may say a request came over HTTPS (X-Forwarded-Proto); see FORWARDED_ALLOW_IPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
