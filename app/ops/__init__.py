"""Operations: health probes, request logs with a request id, `flask doctor`.

Nothing here is a feature a member sees; it is what the people who run
Staffroom need to keep it up and to find out quickly why it is not.
"""

from __future__ import annotations

from flask import Flask

from app.ops import doctor, health


def register(app: Flask) -> None:
    """The health probes and `flask doctor` (request ids and logs are
    wired first of all, by the factory: app/ops/request_log.py)."""
    app.register_blueprint(health.bp)
    app.cli.add_command(doctor.doctor_command)
