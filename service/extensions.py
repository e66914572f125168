"""Flask extensions, created unbound here and bound to each app with `init_app`."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from service.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
