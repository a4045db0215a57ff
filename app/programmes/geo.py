"""Distances for "Discover a Showcase School near you".

Great-circle distance by the haversine formula, computed in Python over the
rows the directory's filters leave (a few hundred schools at most), so it
works the same on SQLite and PostgreSQL. A visitor who does not want to type
coordinates picks a city from the small list below.
"""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)

# key: (name, country, latitude, longitude)
CITIES: dict[str, tuple[str, str, float, float]] = {
    "london": ("London", "GB", 51.5074, -0.1278),
    "reading": ("Reading", "GB", 51.4543, -0.9781),
    "manchester": ("Manchester", "GB", 53.4808, -2.2426),
    "edinburgh": ("Edinburgh", "GB", 55.9533, -3.1883),
    "paris": ("Paris", "FR", 48.8566, 2.3522),
    "lyon": ("Lyon", "FR", 45.7640, 4.8357),
    "berlin": ("Berlin", "DE", 52.5200, 13.4050),
    "madrid": ("Madrid", "ES", 40.4168, -3.7038),
    "baku": ("Baku", "AZ", 40.4093, 49.8671),
    "riyadh": ("Riyadh", "SA", 24.7136, 46.6753),
    "dubai": ("Dubai", "AE", 25.2048, 55.2708),
    "lagos": ("Lagos", "NG", 6.5244, 3.3792),
    "nairobi": ("Nairobi", "KE", -1.2921, 36.8219),
    "cape-town": ("Cape Town", "ZA", -33.9249, 18.4241),
    "mumbai": ("Mumbai", "IN", 19.0760, 72.8777),
    "kochi": ("Kochi", "IN", 9.9312, 76.2673),
    "bengaluru": ("Bengaluru", "IN", 12.9716, 77.5946),
    "tokyo": ("Tokyo", "JP", 35.6762, 139.6503),
    "singapore": ("Singapore", "SG", 1.3521, 103.8198),
    "sydney": ("Sydney", "AU", -33.8688, 151.2093),
    "auckland": ("Auckland", "NZ", -36.8485, 174.7633),
    "chicago": ("Chicago", "US", 41.8781, -87.6298),
    "new-york": ("New York", "US", 40.7128, -74.0060),
    "toronto": ("Toronto", "CA", 43.6532, -79.3832),
    "mexico-city": ("Mexico City", "MX", 19.4326, -99.1332),
    "sao-paulo": ("São Paulo", "BR", -23.5505, -46.6333),
    "buenos-aires": ("Buenos Aires", "AR", -34.6037, -58.3816),
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = radians(lat1), radians(lat2)
    d_phi, d_lambda = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


def city_point(key: str | None) -> tuple[float, float] | None:
    city = CITIES.get(key or "")
    return (city[2], city[3]) if city else None


def city_choices() -> list[tuple[str, str]]:
    return sorted(((key, f"{name} ({country})") for key, (name, country, _, _) in CITIES.items()),
                  key=lambda pair: pair[1])
