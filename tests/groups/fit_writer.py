"""A tiny FIT encoder for test fixtures (fitdecode only reads).

Enough of the format to write what a watch exports for one activity: the
14-byte header with its CRC, a definition message before the first data
message of each kind, little-endian fields, and the file CRC at the end.
Test helpers only: the app never writes FIT files.
"""

from __future__ import annotations

import math
import struct
from datetime import datetime, timedelta, timezone

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=timezone.utc)
_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)
# base type id -> struct format
_TYPES = {0x00: "B", 0x02: "B", 0x84: "H", 0x85: "i", 0x86: "I"}
ENUM, UINT8, UINT16, SINT32, UINT32 = 0x00, 0x02, 0x84, 0x85, 0x86
SPORTS = {"run": 1, "ride": 2, "swim": 5, "walk": 11, "other": 0}

# global message number, [(field number, base type)]
FILE_ID = (0, [(0, ENUM), (4, UINT32)])  # type, time_created
RECORD = (20, [(253, UINT32), (0, SINT32), (1, SINT32), (5, UINT32), (2, UINT16)])  # time, lat, lon, dist, alt
SESSION = (18, [(253, UINT32), (2, UINT32), (7, UINT32), (8, UINT32), (9, UINT32), (5, ENUM), (22, UINT16)])


def crc(data: bytes, value: int = 0) -> int:
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[value & 0xF]
            value = ((value >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return value


def fit_time(moment: datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def semicircles(degrees: float) -> int:
    return int(round(degrees * (2**31 / 180)))


class FitWriter:
    def __init__(self):
        self.body = bytearray()
        self.defined: dict[int, int] = {}  # global number -> local type

    def message(self, kind: tuple[int, list], *values: int) -> None:
        number, fields = kind
        if number not in self.defined:
            local = self.defined[number] = len(self.defined)
            self.body += struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
            for field, base in fields:
                self.body += struct.pack("<BBB", field, struct.calcsize(_TYPES[base]), base)
        self.body += bytes([self.defined[number]])
        self.body += b"".join(struct.pack("<" + _TYPES[base], value) for (_, base), value in zip(fields, values,
                                                                                                    strict=True))

    def bytes(self) -> bytes:
        header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT")
        header += struct.pack("<H", crc(header))
        data = header + bytes(self.body)
        return data + struct.pack("<H", crc(data))


def activity_fit(*, sport: str = "run", start: datetime = datetime(2026, 11, 2, 6, 30, tzinfo=timezone.utc),
                 points: int = 101, metres_per_point: float = 50.0, seconds_per_point: int = 15,
                 lat: float = 51.5, lon: float = -0.17, with_positions: bool = True,
                 with_session: bool = True) -> bytes:
    """A FIT activity once round a circle: `points` records
    `metres_per_point` apart (5 km and 25 minutes by default), and a
    session message with its sport, distance, times and climb."""
    writer = FitWriter()
    writer.message(FILE_ID, 4, fit_time(start))  # type 4: activity
    radius_deg = (points - 1) * metres_per_point / (2 * math.pi) / 111_195
    for index in range(points):
        moment = start + timedelta(seconds=index * seconds_per_point)
        angle = 2 * math.pi * index / max(1, points - 1)
        position = ((semicircles(lat + radius_deg * (math.sin(angle))),
                     semicircles(lon + radius_deg * (1 - math.cos(angle)) / math.cos(math.radians(lat))))
                    if with_positions else (0x7FFFFFFF, 0x7FFFFFFF))  # the FIT "invalid" value
        writer.message(RECORD, fit_time(moment), *position, int(index * metres_per_point * 100),
                       (30 + (index % 5) + 500) * 5)
    if with_session:
        total_s = (points - 1) * seconds_per_point
        writer.message(SESSION, fit_time(start + timedelta(seconds=total_s)), fit_time(start), total_s * 1000,
                       total_s * 1000, int((points - 1) * metres_per_point * 100), SPORTS[sport], 12)
    return writer.bytes()
