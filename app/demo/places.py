"""Map positions for the demo's invented postcodes. Demo data only: real addresses use
app.directory.postcodes.position_for, which places them by the postcode data alone."""
import hashlib

from app.directory.postcodes import outward_centres

# Rough centres of the outward codes used by the demo data, for when the district file lacks one.
OUTWARD_CENTRES = {
    "NW1": (51.5340, -0.1390), "NW3": (51.5530, -0.1700), "NW5": (51.5530, -0.1420),
    "NW6": (51.5440, -0.1960), "WC1": (51.5230, -0.1210), "N19": (51.5650, -0.1320),
}


def approximate_position(postcode):
    """Demo postcodes are invented: place each near its district's centre (data/london_outcodes.csv)."""
    outward = postcode.split()[0]
    centre = outward_centres().get(outward)
    if centre:
        lat, lon = centre[0], centre[1]
    else:
        key = outward if outward in OUTWARD_CENTRES else outward[:3]
        lat, lon = OUTWARD_CENTRES.get(key, (51.545, -0.150))
    # Deterministic jitter (about 500 m) so places in one district do not sit on one point.
    digest = hashlib.sha256(postcode.encode()).digest()
    return round(lat + (digest[0] - 128) / 128 * 0.004, 5), round(lon + (digest[1] - 128) / 128 * 0.006, 5)
