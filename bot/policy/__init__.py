"""Who may ask, where credentials may go, and what is recorded (audit, unanswered questions)."""
