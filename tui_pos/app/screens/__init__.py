"""One screen per checkout phase, plus help, support and small prompts."""
