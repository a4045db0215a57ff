"""Private messages between members: conversations of up to ten people."""
