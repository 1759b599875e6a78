"""The directory's tables: listings and what they are made of, moderation, listings in other languages, and
providers' invitations and requests to join."""
from app.directory.models.listings import (  # noqa: F401
    Category,
    Location,
    Neighbourhood,
    Organisation,
    Schedule,
    SchoolHoliday,
    Service,
    ServiceAtLocation,
    ServiceClosure,
    service_categories,
)
from app.directory.models.moderation import ProblemReport, ReminderLog, Revision  # noqa: F401
from app.directory.models.onboarding import Invitation, JoinRequest  # noqa: F401
from app.directory.models.site_pages import SitePage  # noqa: F401
from app.directory.models.statuses import ChangeStatus, ListingStatus, StatusChangeError  # noqa: F401
from app.directory.models.synonyms import SearchSynonymEdit  # noqa: F401
from app.directory.models.translations import ServiceTranslation, TranslationChange  # noqa: F401
