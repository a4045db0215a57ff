"""Socket.IO namespace /live: event rooms and per-member rooms.

Handlers are thin: they check who is asking and call services. Importing a
module here registers its handlers on the shared `socketio` object.
"""

from app.live import connection  # noqa: F401 (registers handlers)
from app.live import rooms  # noqa: F401 (event rooms: app/events rules)
from app.live import direct_send

direct_send.install()
