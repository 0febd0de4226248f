"""The programme side: referral and intake, exits with coded reasons, and obstacles found on the way."""
