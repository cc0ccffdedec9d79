"""MusicMatch desktop app (Qt). Everything Qt lives in this package; ``core`` never imports it."""
