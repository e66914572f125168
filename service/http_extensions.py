"""Flask extensions only the pages and the API use, created unbound here and bound with
`init_app`. Kept apart from `service.extensions` so that a process serving no requests
(the outbox worker) never imports them."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api

api = Api()

# Pages limit their public forms per client address; the store is RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
