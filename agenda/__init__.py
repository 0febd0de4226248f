"""Tasks and the consultant's agenda ("Min dag", "Min uke") with its iCalendar feed."""
