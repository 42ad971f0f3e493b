"""Identity's accounts: users who sign in to Mercato."""
