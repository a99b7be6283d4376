"""The till's life under systemd: readiness and watchdog notifications, and logging."""
