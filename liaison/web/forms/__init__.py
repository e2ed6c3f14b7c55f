"""The forms of data entry and review: exchanges, counterparts, mechanisms, merges."""
