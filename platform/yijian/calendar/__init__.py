"""Working-day calendar (工作日历): holiday notices as YAML data, and counting time limits on them.

``model`` is the file format, ``loader`` reads ``rules/calendar/*.yaml`` with file:line errors,
``workdays`` counts working days and derives the traffic light.
"""

from yijian.calendar.loader import CalendarError
from yijian.calendar.model import CalendarYear
from yijian.calendar.workdays import MissingCalendarYear, WorkCalendar, traffic_light

__all__ = ["CalendarError", "CalendarYear", "MissingCalendarYear", "WorkCalendar", "traffic_light"]
