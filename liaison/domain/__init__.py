"""Plain values shared by every layer: enums, dates, extracted events, errors."""
