"""Talking to news.ycombinator.com's own web forms (the API is read-only): log in, vote,
favourite, reply. Pure: nothing here imports Textual."""
