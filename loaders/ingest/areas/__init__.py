"""Areas: boundary files of one type, and the contacts attached to areas."""
