"""Who the service is for: one rule each for age and for the borough, used by the questions and the journey."""
from datetime import date

from app.core import validation
from app.directory.listings import neighbourhood_for_postcode

MIN_AGE = 16
MAX_AGE = 120


def age_on(born, today):
    """Whole years between `born` and `today`."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def too_young(age):
    return age < MIN_AGE


def plausible_birth_date(born, today):
    return date(1900, 1, 1) <= born <= today


def outside_borough(postcode):
    """True for a real postcode outside every neighbourhood's outward codes; False for one inside, or none."""
    postcode = validation.postcode(postcode)
    return bool(postcode) and neighbourhood_for_postcode(postcode) is None
