"""HTTP pages and endpoints: parse, authenticate, call a use case, render.

The page modules are imported inside `register_blueprints`, so importing one helper of
this package (`service.web.messages`, say) does not load every page and what they use.
"""

from flask import Blueprint, Flask
from flask_babel import get_locale

from service import i18n
from service.http_extensions import limiter

static = Blueprint("web_static", __name__, static_folder="static", static_url_path="/static/web")


def register_blueprints(app: Flask) -> None:
    from service.web import formatting, labels, navigation, signed_in
    from service.web.accounts import account as account_pages
    from service.web.accounts import front as front_page
    from service.web.accounts import my_data as my_data_pages
    from service.web.accounts import password as password_pages
    from service.web.accounts import sign_in as sign_in_pages
    from service.web.availability import pages as availability_pages
    from service.web.booking import pages as session_pages
    from service.web.calendars import changes as calendar_changes
    from service.web.calendars import feed_pages, feeds
    from service.web.calendars import pages as calendar_pages
    from service.web.calendars import subscribe as calendar_subscribe
    from service.web.operations import outbox as outbox_pages
    from service.web.operations.health import bp as health_bp
    from service.web.operations.metrics import bp as metrics_bp
    from service.web.orderer import pages as orderer_pages
    from service.web.processes import agreement_editor, process_page, public
    from service.web.processes import agreement_pages as process_pages
    from service.web.processes import evaluations as evaluation_pages
    from service.web.processes import mine as my_pages
    from service.web.processes import series as series_pages
    from service.web.rooms import edit as room_edit_pages
    from service.web.rooms import pages as room_pages
    from service.web.session_cookie import MaxAgeSessionInterface
    from service.web.supervisor import pages as supervisor_pages

    app.session_interface = MaxAgeSessionInterface()
    limiter.init_app(app)
    app.jinja_env.globals["get_locale"] = get_locale
    formatting.register(app)
    i18n.read_stored_language_with(app, signed_in.stored_language)
    labels.register(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(static)
    app.register_blueprint(front_page.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(sign_in_pages.bp)
    app.register_blueprint(process_pages.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(my_pages.bp)
    app.register_blueprint(session_pages.bp)
    app.register_blueprint(evaluation_pages.bp)
    app.register_blueprint(my_data_pages.bp)
    app.register_blueprint(orderer_pages.bp)
    app.register_blueprint(room_pages.bp)
    app.register_blueprint(room_edit_pages.bp)
    navigation.register(app)
    app.after_request(signed_in.not_stored_when_signed_in)
    app.register_blueprint(password_pages.bp)
    app.register_blueprint(account_pages.bp)
    app.register_blueprint(supervisor_pages.bp)
    app.register_blueprint(agreement_editor.bp)
    app.register_blueprint(process_page.bp)
    app.register_blueprint(series_pages.bp)
    app.register_blueprint(calendar_pages.bp)
    app.register_blueprint(feed_pages.bp)
    app.register_blueprint(calendar_changes.bp)
    app.register_blueprint(calendar_subscribe.bp)
    app.register_blueprint(availability_pages.bp)
    app.register_blueprint(outbox_pages.bp)
    if app.config.get("DEVELOPMENT_MAILBOX"):
        from service.web.operations import mailbox as mailbox_pages

        app.register_blueprint(mailbox_pages.bp)
