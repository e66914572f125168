"""Failures of the caldav library and the HTTP layer under it, told in plain words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from caldav.lib import error
from lxml.etree import XMLSyntaxError
from niquests import exceptions as http

from service.backends import AddressRefused, CalendarError, CalendarProblem, refusal_in


@contextmanager
def plain_errors(*, not_found: CalendarProblem = CalendarProblem.WRONG_URL) -> Iterator[None]:
    """Turn whatever the library raises into a `CalendarError`. A DAV failure other than
    401/404 is `not_found` when asked what a URL holds (discovery), else a server error."""
    try:
        yield
    except CalendarError:
        raise
    except AddressRefused as failure:
        raise CalendarError(CalendarProblem.REFUSED_ADDRESS, str(failure)) from failure
    except error.AuthorizationError as failure:
        raise CalendarError(CalendarProblem.UNAUTHORIZED, type(failure).__name__) from failure
    except error.NotFoundError as failure:
        raise CalendarError(CalendarProblem.WRONG_URL, type(failure).__name__) from failure
    except http.SSLError as failure:
        raise CalendarError(CalendarProblem.TLS_FAILED, type(failure).__name__) from failure
    except (http.Timeout, TimeoutError) as failure:
        raise CalendarError(CalendarProblem.TIMEOUT, type(failure).__name__) from failure
    except (http.ConnectionError, ConnectionError) as failure:
        refused = refusal_in(failure)
        if refused is not None:
            raise CalendarError(CalendarProblem.REFUSED_ADDRESS, str(refused)) from failure
        raise CalendarError(CalendarProblem.UNREACHABLE, type(failure).__name__) from failure
    except (http.InvalidURL, http.MissingSchema, http.InvalidSchema) as failure:
        raise CalendarError(CalendarProblem.WRONG_URL, type(failure).__name__) from failure
    except (error.DAVError, XMLSyntaxError) as failure:
        raise CalendarError(not_found, type(failure).__name__) from failure


def status_problem(status: int) -> CalendarProblem:
    if status in (401, 403):
        return CalendarProblem.UNAUTHORIZED
    if status in (404, 405, 409):
        return CalendarProblem.WRONG_URL
    if status == 412:
        return CalendarProblem.CONFLICT
    return CalendarProblem.SERVER_ERROR
