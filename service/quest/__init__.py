"""Quest (the virtual-pet app): pets, provider integrations, webhooks, events, goals, daily stats."""
