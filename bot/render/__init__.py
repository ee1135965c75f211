"""Pictures: the Brug, appreciation cards, invite QR codes."""
