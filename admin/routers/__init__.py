"""One router per resource; each route only translates HTTP into a service call."""
